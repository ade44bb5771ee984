// A select of the locations (by name) for the list filters; empty means all.
import { list } from '../../lib/api';
import { t } from '../../lib/i18n';
import { useFetch } from '../../ui/components';

interface LocationRef {
  id: string;
  name: string;
}

export function LocationSelect(props: { name: string; label: string }) {
  const locations = useFetch((signal) => list<LocationRef>('/locations', { limit: 1000 }, signal), []);
  return (
    <label>
      {props.label}
      <select name={props.name}>
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
