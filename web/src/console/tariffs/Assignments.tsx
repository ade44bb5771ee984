// Where a tariff applies (GET /tariff-assignments?tariff_id=): its scope and target each.
import { list } from '../../lib/api';
import { t } from '../../lib/i18n';
import { ErrorBox, Link, useFetch } from '../../ui/components';

interface Assignment {
  id: number;
  tariff_id: string;
  scope: 'default' | 'location' | 'evse' | 'connector';
  location_id?: string | null;
  station_id?: string | null;
  evse_id?: number | null;
  connector_id?: number | null;
  customer_group: string | null;
}

function target(a: Assignment) {
  if (a.scope === 'default') return t('tariffs.assigned.default');
  if (a.scope === 'location' && a.location_id) return <Link to={`/locations/${encodeURIComponent(a.location_id)}`}>{a.location_id}</Link>;
  return [a.station_id, a.evse_id !== null && a.evse_id !== undefined ? t('tariffs.assigned.evse', { n: a.evse_id }) : null, a.connector_id ? t('tariffs.assigned.connector', { n: a.connector_id }) : null]
    .filter(Boolean)
    .join(' · ');
}

export function Assignments(props: { tariffId: string }) {
  const rows = useFetch((signal) => list<Assignment>('/tariff-assignments', { tariff_id: props.tariffId, limit: 1000 }, signal), [props.tariffId]);
  if (rows.error) return <ErrorBox error={rows.error} onRetry={rows.reload} />;
  if (!rows.data) return null;
  return (
    <div class="card assignments">
      <h2>{t('tariffs.assigned')}</h2>
      {rows.data.items.length === 0 ? (
        <p class="muted">{t('tariffs.assigned.none')}</p>
      ) : (
        <ul class="plain">
          {rows.data.items.map((a) => (
            <li key={a.id}>
              {t(`tariffs.assigned.scope.${a.scope}`)}: {target(a)}
              {a.customer_group && <span class="muted"> ({t('tariffs.assigned.group', { group: a.customer_group })})</span>}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
