// The driver portal: find a charger, start from a QR code, watch and stop, the receipt.
import { t } from '../lib/i18n';

export function App() {
  return (
    <main id="main" class="drive">
      <h1>{t('drive.title')}</h1>
    </main>
  );
}
