// The overview: the network at a glance and what is happening now.
import { useEffect, useState } from 'preact/hooks';
import { events, type LiveEvent } from '../../lib/api';
import { time } from '../../lib/format';
import { t } from '../../lib/i18n';

export function Overview() {
  const [feed, setFeed] = useState<LiveEvent[]>([]);
  useEffect(() => events({ onEvent: (e) => setFeed((f) => [e, ...f].slice(0, 50)) }), []);
  return (
    <section>
      <h1>{t('overview.title')}</h1>
      <h2>{t('overview.feed')}</h2>
      <ol class="card feed" aria-live="polite">
        {feed.map((e, i) => (
          <li key={i}>
            <time>{time(e.at)}</time> {e.station_id} {e.type}
          </li>
        ))}
      </ol>
    </section>
  );
}
