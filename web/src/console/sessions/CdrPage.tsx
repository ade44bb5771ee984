// One CDR by id; an operator may issue its credit CDR (never for a credit itself).
import { useState } from 'preact/hooks';
import { get, post } from '../../lib/api';
import { can } from '../../lib/auth';
import { t } from '../../lib/i18n';
import { navigate } from '../../lib/router';
import { ErrorBox, Link, Loading, useFetch } from '../../ui/components';
import { CdrView } from './CdrView';
import type { Cdr } from './types';

export function CdrPage(props: { params: Record<string, string> }) {
  const id = props.params.id;
  const cdr = useFetch((signal) => get<Cdr>(`/cdrs/${encodeURIComponent(id)}`, undefined, signal), [id]);
  const [remark, setRemark] = useState('');
  const [error, setError] = useState<unknown>(null);
  if (cdr.error) return <ErrorBox error={cdr.error} onRetry={cdr.reload} />;
  if (!cdr.data) return <Loading />;
  const credit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    try {
      const made = await post<Cdr>(`/cdrs/${encodeURIComponent(id)}/credit`, remark ? { remark } : {});
      navigate(`/cdrs/${encodeURIComponent(made.id)}`);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <section>
      <p>
        <Link to="/cdrs">{t('cdrs.back')}</Link>
      </p>
      <h1>{t('cdrs.page.title', { id: cdr.data.id })}</h1>
      <CdrView cdr={cdr.data} />
      {can('operator') && !cdr.data.credit && (
        <form class="row card credit" onSubmit={credit}>
          <label>
            {t('cdrs.credit.remark')}
            <input value={remark} maxLength={255} onInput={(e) => setRemark(e.currentTarget.value)} />
          </label>
          <button type="submit" class="danger">
            {t('cdrs.credit.issue')}
          </button>
          {error ? <ErrorBox error={error} /> : null}
        </form>
      )}
    </section>
  );
}
