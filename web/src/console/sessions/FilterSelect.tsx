// A select of a filter form that starts at the URL's value and keeps what the user picks until
// the form is submitted (the form is keyed by the URL, so going back shows the URL's again).
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';

export function FilterSelect(props: { name: string; label: string; initial?: string; children: ComponentChildren }) {
  const [value, setValue] = useState(props.initial ?? '');
  return (
    <label>
      {props.label}
      <select name={props.name} value={value} onChange={(e) => setValue(e.currentTarget.value)}>
        {props.children}
      </select>
    </label>
  );
}
