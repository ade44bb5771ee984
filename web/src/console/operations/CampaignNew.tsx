// Creating a firmware campaign (operators; POST /firmware/campaigns): its name, the file it rolls
// out, which stations (vendor, model, current firmware, location; each optional) and how (canary
// share, at most N at once, the failure threshold, the stations' own retries). It is created as a
// draft; its page then offers Start. A file not uploaded yet is uploaded first from the same page
// (POST /firmware/files with the file's bytes as the body) and chosen for the campaign.
import { useState } from 'preact/hooks';
import { ApiError, list, post, upload } from '../../lib/api';
import { t } from '../../lib/i18n';
import { navigate } from '../../lib/router';
import { ErrorBox, useFetch } from '../../ui/components';
import { LocationSelect } from '../sessions/LocationSelect';
import { Crumb, Field, Status, submitted, useAction } from './parts';
import type { Campaign, FirmwareFile } from './types';
import './operations.css';

/** The server's defaults (domain::Campaign), shown so that what is sent is what is seen. */
const DEFAULTS = { canary_percent: 10, max_concurrent: 10, failure_threshold_percent: 20 };
/** The roll-out's numbers; one left empty is not sent (the server's default, or none). */
const NUMBERS = ['canary_percent', 'max_concurrent', 'failure_threshold_percent', 'retries', 'retry_interval_s'] as const;
const FILTER = ['vendor', 'model', 'version', 'location_id'] as const;

export function CampaignNew() {
  const files = useFetch((signal) => list<FirmwareFile>('/firmware/files', { limit: 1000 }, signal), []);
  // Controlled: a file uploaded here is chosen for the campaign.
  const [fileId, setFileId] = useState('');
  const sending = useAction();
  const creating = useAction();

  const sendFile = (e: Event) => {
    const { form, data, text } = submitted(e);
    const file = data.get('file');
    if (!(file instanceof File)) return;
    // "AC-22, AC-11" as the API splits it: at commas, no blanks around a model.
    const models = text('models')
      .split(',')
      .map((m) => m.trim())
      .filter(Boolean)
      .join(',');
    const query = { file_name: file.name, vendor: text('vendor'), version: text('version'), models, signature: text('signature') };
    void sending.run(async () => {
      const created = await upload<FirmwareFile>('/firmware/files', query, file);
      form.reset();
      setFileId(String(created.id));
      files.reload();
      return t('firmware.uploaded', { name: created.file_name, sha256: created.sha256 });
    });
  };

  const create = (e: Event) => {
    const { text } = submitted(e);
    // Only what was given: the API refuses an empty member, and an absent one means "any".
    const filter: Record<string, string> = {};
    for (const key of FILTER) if (text(`filter.${key}`)) filter[key] = text(`filter.${key}`);
    const body: Record<string, unknown> = { name: text('name') };
    if (fileId) body.file_id = Number(fileId);
    if (Object.keys(filter).length) body.filter = filter;
    for (const key of NUMBERS) if (text(key)) body[key] = Number(text(key));
    void creating.run(async () => {
      const created = await post<Campaign>('/firmware/campaigns', body);
      navigate(`/firmware-campaigns/${created.id}`);
    });
  };

  const uploadError = sending.failure;
  const error = creating.failure;
  return (
    <section class="ops">
      <Crumb to="/firmware-campaigns">{t('firmware.back')}</Crumb>
      <h1>{t('firmware.new')}</h1>
      <p class="muted">{t('firmware.newIntro')}</p>

      <form class="card" onSubmit={sendFile} aria-labelledby="upload-file-title">
        <h2 id="upload-file-title">{t('firmware.upload')}</h2>
        <p class="hint">{t('firmware.uploadHint')}</p>
        <div class="row">
          {/* The file's own name is its name on the server: the API's complaint about it is said here. */}
          <Field form="upload" name="file_name" label={t('firmware.fileField')} failure={uploadError}>
            {(aria) => <input name="file" type="file" required {...aria} />}
          </Field>
          <Field form="upload" name="vendor" label={t('firmware.vendor')} failure={uploadError}>
            {(aria) => <input name="vendor" required maxLength={50} size={14} {...aria} />}
          </Field>
          <Field form="upload" name="version" label={t('firmware.version')} failure={uploadError}>
            {(aria) => <input name="version" required maxLength={50} size={10} {...aria} />}
          </Field>
        </div>
        <div class="row">
          <Field form="upload" name="models" label={t('firmware.modelsOptional')} failure={uploadError}>
            {(aria) => <input name="models" size={24} {...aria} />}
          </Field>
          <Field form="upload" name="signature" label={t('firmware.signatureOptional')} failure={uploadError}>
            {(aria) => <input name="signature" maxLength={800} size={40} {...aria} />}
          </Field>
        </div>
        <p>
          <button type="submit" class="secondary" disabled={sending.busy}>
            {t('firmware.uploadButton')}
          </button>
        </p>
        <Status notice={sending.notice} />
        {uploadError !== null && !(uploadError instanceof ApiError && uploadError.field) && <ErrorBox error={uploadError} />}
      </form>

      <form class="card" onSubmit={create} aria-labelledby="new-campaign-title">
        <h2 id="new-campaign-title">{t('firmware.campaignSection')}</h2>
        <Status state={files} />
        <div class="row">
          <Field form="campaign" name="name" label={t('firmware.name')} failure={error}>
            {(aria) => <input name="name" required maxLength={100} size={30} {...aria} />}
          </Field>
          <Field form="campaign" name="file_id" label={t('firmware.file')} failure={error}>
            {(aria) => (
              <select name="file_id" required value={fileId} onChange={(e) => setFileId(e.currentTarget.value)} {...aria}>
                <option value="">{t('firmware.chooseFile')}</option>
                {files.data?.items.map((f) => (
                  <option key={f.id} value={String(f.id)}>
                    {t('firmware.fileOf', { name: f.file_name, vendor: f.vendor, version: f.version })}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
        <h3>{t('firmware.filter')}</h3>
        <p class="hint">{t('firmware.filterHint')}</p>
        <div class="row">
          <Field form="campaign" name="filter.vendor" label={t('firmware.vendorOptional')} failure={error}>
            {(aria) => <input name="filter.vendor" maxLength={50} size={14} {...aria} />}
          </Field>
          <Field form="campaign" name="filter.model" label={t('firmware.modelOptional')} failure={error}>
            {(aria) => <input name="filter.model" maxLength={20} size={12} {...aria} />}
          </Field>
          <Field form="campaign" name="filter.version" label={t('firmware.versionOptional')} failure={error}>
            {(aria) => <input name="filter.version" maxLength={50} size={10} {...aria} />}
          </Field>
          <LocationSelect name="filter.location_id" label={t('firmware.location')} />
        </div>
        <h3>{t('firmware.rollout')}</h3>
        <p class="hint">{t('firmware.rolloutHint')}</p>
        <div class="row">
          <Field form="campaign" name="canary_percent" label={t('firmware.canaryPercent')} failure={error}>
            {(aria) => <input name="canary_percent" type="number" min={0} max={100} size={5} defaultValue={String(DEFAULTS.canary_percent)} {...aria} />}
          </Field>
          <Field form="campaign" name="max_concurrent" label={t('firmware.maxConcurrent')} failure={error}>
            {(aria) => <input name="max_concurrent" type="number" min={1} max={10000} size={6} defaultValue={String(DEFAULTS.max_concurrent)} {...aria} />}
          </Field>
          <Field form="campaign" name="failure_threshold_percent" label={t('firmware.thresholdPercent')} failure={error}>
            {(aria) => (
              <input name="failure_threshold_percent" type="number" min={0} max={100} size={5} defaultValue={String(DEFAULTS.failure_threshold_percent)} {...aria} />
            )}
          </Field>
          <Field form="campaign" name="retries" label={t('firmware.retriesOptional')} failure={error}>
            {(aria) => <input name="retries" type="number" min={0} max={100} size={5} {...aria} />}
          </Field>
          <Field form="campaign" name="retry_interval_s" label={t('firmware.retryIntervalOptional')} failure={error}>
            {(aria) => <input name="retry_interval_s" type="number" min={0} max={86400} size={7} {...aria} />}
          </Field>
        </div>
        <p>
          <button type="submit" disabled={creating.busy}>
            {t('firmware.createButton')}
          </button>
        </p>
        {error !== null && !(error instanceof ApiError && error.field) && <ErrorBox error={error} />}
      </form>
    </section>
  );
}
