// The tariff editor: the OCPI tariff's header, its elements with price components and
// restrictions, and beside it the price of an example session as you type. Operators save it
// with PUT /tariffs/{id}; a viewer may try changes and see their price, not save them.
import { useEffect, useState } from 'preact/hooks';
import { ApiError, get, request } from '../../lib/api';
import { can } from '../../lib/auth';
import { t } from '../../lib/i18n';
import { navigate } from '../../lib/router';
import { ErrorBox, Link, Loading } from '../../ui/components';
import { Assignments } from './Assignments';
import { ElementEditor } from './ElementEditor';
import { defaultExample, type Example } from './example';
import { problemPath, SelectField, TextField } from './fields';
import { emptyDraft, type ElementDraft, newElement, type OcpiTariff, type TariffDraft, toDraft, toTariff, TYPES } from './model';
import { ExampleForm, PreviewResult, usePreview } from './Preview';

const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

export function TariffEditor(props: { params: Record<string, string> }) {
  const id = props.params.id;
  const isNew = id === undefined;
  const [draft, setDraft] = useState<TariffDraft | null>(isNew ? emptyDraft() : null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [example, setExample] = useState<Example>(defaultExample(browserZone()));
  const [saveError, setSaveError] = useState<unknown>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (isNew) return;
    const controller = new AbortController();
    setDraft(null);
    get<OcpiTariff>(`/tariffs/${encodeURIComponent(id)}`, undefined, controller.signal).then(
      (tariff) => setDraft(toDraft(tariff)),
      (e) => !controller.signal.aborted && setLoadError(e),
    );
    return () => controller.abort();
  }, [id, isNew]);

  const tariff = draft ? toTariff(draft) : null;
  const preview = usePreview(tariff ?? { country_code: '', party_id: '', currency: '', elements: [] }, example);
  if (loadError) return <ErrorBox error={loadError} />;
  if (!draft || !tariff) return <Loading />;

  const update = (fn: (d: TariffDraft) => void) =>
    setDraft((prev) => {
      const next = structuredClone(prev!);
      fn(next);
      return next;
    });
  const changeElement = (i: number) => (fn: (e: ElementDraft) => void) => update((d) => fn(d.elements[i]));
  const problem = saveError instanceof ApiError ? saveError : preview.error instanceof ApiError ? preview.error : null;
  const invalid = problemPath(problem?.field);
  const writer = can('operator');

  const save = async (e: Event) => {
    e.preventDefault();
    setSaveError(null);
    setSaved(null);
    const target = isNew ? draft.id.trim() : id;
    setBusy(true);
    try {
      await request<OcpiTariff>('PUT', `/tariffs/${encodeURIComponent(target)}`, { body: toTariff({ ...draft, id: target }) });
      setSaved(t('tariffs.saved', { id: target }));
      if (isNew) navigate(`/tariffs/${encodeURIComponent(target)}`, true);
    } catch (err) {
      setSaveError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="tariff-editor">
      <p>
        <Link to="/tariffs">{t('tariffs.back')}</Link>
      </p>
      <h1>{isNew ? t('tariffs.new') : t('tariffs.edit', { id })}</h1>
      {!writer && <p class="muted">{t('tariffs.viewerNote')}</p>}
      <div class="editor-layout">
        <form onSubmit={save} aria-label={t('tariffs.form')}>
          <fieldset class="card row header">
            <legend>{t('tariffs.header')}</legend>
            <TextField path="id" label={t('tariffs.id')} value={isNew ? draft.id : id} readOnly={!isNew} required maxLength={36} size={16} invalid={invalid} onInput={(v) => update((d) => (d.id = v))} />
            <TextField path="currency" label={t('tariffs.currency')} value={draft.currency} maxLength={3} size={4} invalid={invalid} onInput={(v) => update((d) => (d.currency = v))} />
            <TextField path="country_code" label={t('tariffs.countryCode')} value={draft.country_code} maxLength={2} size={3} invalid={invalid} onInput={(v) => update((d) => (d.country_code = v))} />
            <TextField path="party_id" label={t('tariffs.partyId')} value={draft.party_id} maxLength={3} size={4} invalid={invalid} onInput={(v) => update((d) => (d.party_id = v))} />
            <SelectField path="type" label={t('tariffs.type')} value={draft.type} invalid={invalid} onChange={(v) => update((d) => (d.type = v))}>
              {TYPES.map((ty) => (
                <option key={ty} value={ty}>
                  {ty ? t(`tariffs.type.${ty}`) : t('tariffs.type.none')}
                </option>
              ))}
            </SelectField>
          </fieldset>
          <fieldset class="card alt-text">
            <legend>{t('tariffs.altText')}</legend>
            {draft.alt_text.map((a, i) => (
              <div class="row" key={i}>
                <TextField path={`tariff_alt_text.${i}.language`} label={t('tariffs.altText.language')} value={a.language} size={3} maxLength={2} invalid={invalid} onInput={(v) => update((d) => (d.alt_text[i].language = v))} />
                <TextField path={`tariff_alt_text.${i}.text`} label={t('tariffs.altText.text')} value={a.text} size={50} invalid={invalid} onInput={(v) => update((d) => (d.alt_text[i].text = v))} />
                <button type="button" class="secondary" onClick={() => update((d) => d.alt_text.splice(i, 1))}>
                  {t('tariffs.altText.remove', { n: i + 1 })}
                </button>
              </div>
            ))}
            <button type="button" class="secondary" onClick={() => update((d) => d.alt_text.push({ language: 'en', text: '' }))}>
              {t('tariffs.altText.add')}
            </button>
          </fieldset>
          <p class="muted">{t('tariffs.elementsHelp')}</p>
          {draft.elements.map((el, i) => (
            <ElementEditor
              key={i}
              index={i}
              element={el}
              count={draft.elements.length}
              invalid={invalid}
              change={changeElement(i)}
              remove={() => update((d) => d.elements.splice(i, 1))}
              move={(by) =>
                update((d) => {
                  const [x] = d.elements.splice(i, 1);
                  d.elements.splice(i + by, 0, x);
                })
              }
            />
          ))}
          <p>
            <button type="button" class="secondary" onClick={() => update((d) => d.elements.push(newElement()))}>
              {t('tariffs.addElement')}
            </button>
          </p>
          {writer && (
            <div class="save-bar">
              <button type="submit" disabled={busy}>
                {t('common.save')}
              </button>
              <span aria-live="polite">{saved && <span class="notice">{saved}</span>}</span>
              {saveError ? <ErrorBox error={saveError} /> : null}
            </div>
          )}
        </form>
        <aside class="preview-side" aria-label={t('tariffs.preview')}>
          <ExampleForm example={example} onChange={setExample} />
          <PreviewResult state={preview} />
          {!isNew && <Assignments tariffId={id} />}
        </aside>
      </div>
    </section>
  );
}
