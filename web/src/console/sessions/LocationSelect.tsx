// A select of the locations (by name) for the list filters; empty means all.
import { useState } from 'preact/hooks';
import { list } from '../../lib/api';
import { t } from '../../lib/i18n';
import { useFetch } from '../../ui/components';

interface LocationRef {
  id: string;
  name: string;
}

export function LocationSelect(props: { name: string; label: string; value?: string }) {
  const [value, setValue] = useState(props.value ?? '');
  const locations = useFetch((signal) => list<LocationRef>('/locations', { limit: 1000 }, signal), []);
  return (
    <label>
      {props.label}
      <select name={props.name} value={value} onChange={(e) => setValue(e.currentTarget.value)}>
        <option value="">{t('common.all')}</option>
        {locations.data?.items.map((l) => (
          <option key={l.id} value={l.id}>
            {l.name}
          </option>
        ))}
      </select>
    </label>
  );
}
