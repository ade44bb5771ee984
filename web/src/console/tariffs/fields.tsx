// Inputs of the tariff editor. Each input's id is "f-" + the OCPI path of its field with dots
// ("f-elements.0.price_components.1.price"), so a 422 naming "elements[0].price_components[1].price"
// marks exactly that input.
import type { ComponentChildren } from 'preact';

export const fieldId = (path: string) => `f-${path}`;

/** "tariff.elements[0].price_components[1].price" -> "elements.0.price_components.1.price" */
export function problemPath(field: string | undefined): string | null {
  if (!field) return null;
  return field.replace(/^tariff\./, '').replace(/\[(\d+)\]/g, '.$1');
}

export function TextField(props: {
  path: string;
  label: string;
  value: string;
  onInput: (v: string) => void;
  invalid?: string | null;
  type?: string;
  inputMode?: 'decimal' | 'numeric' | 'text';
  size?: number;
  maxLength?: number;
  readOnly?: boolean;
  required?: boolean;
}) {
  const id = fieldId(props.path);
  const bad = props.invalid === props.path;
  return (
    <label for={id}>
      {props.label}
      <input
        id={id}
        type={props.type ?? 'text'}
        inputMode={props.inputMode}
        size={props.size}
        maxLength={props.maxLength}
        readOnly={props.readOnly}
        required={props.required}
        value={props.value}
        aria-invalid={bad ? true : undefined}
        onInput={(e) => props.onInput(e.currentTarget.value)}
      />
    </label>
  );
}

export function SelectField(props: { path: string; label: string; value: string; onChange: (v: string) => void; invalid?: string | null; children: ComponentChildren }) {
  const id = fieldId(props.path);
  return (
    <label for={id}>
      {props.label}
      <select id={id} value={props.value} aria-invalid={props.invalid === props.path ? true : undefined} onChange={(e) => props.onChange(e.currentTarget.value)}>
        {props.children}
      </select>
    </label>
  );
}
