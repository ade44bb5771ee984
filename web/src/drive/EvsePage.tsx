// The QR code's landing (/drive/evse/<uid>): where the charger is, its state and price in plain
// words; start on the driver's account (signed in) or by card (where the EVSE takes cards).
import { useState } from 'preact/hooks';
import { ApiError, get, post } from '../lib/api';
import { t } from '../lib/i18n';
import { money } from '../lib/format';
import { navigate } from '../lib/router';
import { ErrorBox, Link, Loading, StatusBadge, useFetch } from '../ui/components';
import { driver } from './auth';
import type { DriveSession, EvseLanding } from './types';
import { connectorLabel, plainPrice, statusLabel } from './words';

export function EvsePage({ uid }: { uid: string }) {
  const evse = useFetch((signal) => get<EvseLanding>(`/drive/evses/${encodeURIComponent(uid)}`, undefined, signal), [uid]);
  if (evse.error instanceof ApiError && evse.error.status === 404) return <p role="alert">{t('drive.evse.notFound')}</p>;
  if (evse.error) return <ErrorBox error={evse.error} onRetry={evse.reload} />;
  if (!evse.data) return <Loading />;
  const e = evse.data;
  const loc = e.location;
  const address = [loc.address, [loc.postal_code, loc.city].filter(Boolean).join(' ')].filter(Boolean).join(', ');
  const price = plainPrice(e.tariff);
  return (
    <>
      <h1>{t('drive.evse.title', { evse: e.evse_id || e.uid })}</h1>
      <section class="card stack" aria-labelledby="where">
        <h2 id="where">{loc.name}</h2>
        {address && <p class="muted">{address}</p>}
        <p>
          {t('drive.evse.status')}: <StatusBadge status={e.status} label={statusLabel(e.status)} />
        </p>
        <p>
          {t('drive.evse.connectors')}: {e.connectors.map(connectorLabel).join(' · ')}
        </p>
        <p class="price-big">
          <span class="muted">{t('drive.price.label')}: </span>
          <strong>{price.text}</strong>
          {price.inclVat && <span class="muted"> ({t('drive.price.inclVat')})</span>}
        </p>
      </section>
      <StartPanel evse={e} onStale={evse.reload} />
      <p>
        <Link to={`/drive/evse/${encodeURIComponent(e.uid)}/report`}>{t('drive.evse.report')}</Link>
      </p>
    </>
  );
}

function startError(err: unknown): string {
  if (err instanceof ApiError && err.status === 409) return t('drive.evse.conflict');
  if (err instanceof ApiError && err.status === 503) return t('drive.evse.noCardProvider');
  return t('common.error', { detail: err instanceof Error ? err.message : String(err) });
}

function StartPanel({ evse, onStale }: { evse: EvseLanding; onStale: () => void }) {
  const who = driver();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [pm, setPm] = useState('');
  const card = evse.card_payment?.enabled ? evse.card_payment : null;
  // Available, or Occupied (plugged in, not charging) may start (docs/api.md, Driver portal API).
  const startable = evse.status === 'Available' || evse.status === 'Occupied';

  const start = async (payment: Record<string, string>) => {
    setBusy(true);
    setError(null);
    setFieldError(null);
    try {
      const s = await post<DriveSession>('/drive/sessions', { evse_uid: evse.uid, payment });
      navigate(`/drive/sessions/${encodeURIComponent(s.id ?? s.ref ?? '')}`);
    } catch (err) {
      if (err instanceof ApiError && err.status === 422 && err.field?.includes('payment_method')) setFieldError(err.message);
      else setError(startError(err));
      if (err instanceof ApiError && err.status === 409) onStale();
    } finally {
      setBusy(false);
    }
  };

  const here = `/drive/evse/${encodeURIComponent(evse.uid)}`;
  return (
    <section class="card stack" aria-labelledby="start">
      <h2 id="start">{t('drive.evse.start')}</h2>
      {!startable && <p role="status">{t('drive.evse.notAvailable', { status: statusLabel(evse.status) })}</p>}
      {who ? (
        <>
          <p class="muted">{t('drive.evse.signedInAs', { name: who.driver.name || who.driver.email })}</p>
          <button class="big" disabled={busy || !startable} onClick={() => void start({ method: 'account' })}>
            {t('drive.evse.startAccount')}
          </button>
        </>
      ) : (
        <Link to={`/drive/login?next=${encodeURIComponent(here)}`} class="button big">
          {t('drive.evse.signInToStart')}
        </Link>
      )}
      {card && (
        <form
          class="stack"
          onSubmit={(e) => {
            e.preventDefault();
            void start({ method: 'card', payment_method: pm.trim() });
          }}
        >
          <h3>{t('drive.evse.orCard')}</h3>
          {card.hold && <p class="muted">{t('drive.evse.cardHold', { amount: money(card.hold.amount, card.hold.currency) })}</p>}
          <label>
            {t('drive.evse.paymentMethod')}
            <input
              required
              autoComplete="off"
              aria-describedby="pm-hint"
              aria-invalid={fieldError ? 'true' : undefined}
              value={pm}
              onInput={(e) => setPm((e.target as HTMLInputElement).value)}
            />
          </label>
          <span id="pm-hint" class="small muted">
            {t('drive.evse.paymentMethodHint')}
          </span>
          {fieldError && (
            <p class="error" role="alert">
              {fieldError}
            </p>
          )}
          <button type="submit" class="secondary big" disabled={busy || !startable}>
            {t('drive.evse.payAndStart')}
          </button>
        </form>
      )}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
