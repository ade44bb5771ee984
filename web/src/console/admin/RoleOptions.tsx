// The roles as the options of a <select>, in the viewer's language (users and API keys).
import { t } from '../../lib/i18n';
import { roles } from './types';

export function RoleOptions() {
  return (
    <>
      {roles.map((r) => (
        <option key={r} value={r}>
          {t(`common.role.${r}`)}
        </option>
      ))}
    </>
  );
}
