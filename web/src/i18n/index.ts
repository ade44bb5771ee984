// The message catalogue: one flat map per language, joined from one file per area.
// English is complete; the driver portal is also in German and Dutch.
import enCommon from './en/common';
import enOverview from './en/overview';
import enStations from './en/stations';
import enSessions from './en/sessions';
import enTokens from './en/tokens';
import enLocations from './en/locations';
import enTariffs from './en/tariffs';
import enEnergy from './en/energy';
import enAdmin from './en/admin';
import enOperations from './en/operations';
import enDrive from './en/drive';
import deCommon from './de/common';
import deDrive from './de/drive';
import nlCommon from './nl/common';
import nlDrive from './nl/drive';

export const languages = ['en', 'de', 'nl'] as const;
export type Lang = (typeof languages)[number];
export type Catalogue = Record<string, string>;

export const catalogues: Record<Lang, Catalogue> = {
  en: {
    ...enCommon,
    ...enOverview,
    ...enStations,
    ...enSessions,
    ...enTokens,
    ...enLocations,
    ...enTariffs,
    ...enEnergy,
    ...enAdmin,
    ...enOperations,
    ...enDrive,
  },
  de: { ...deCommon, ...deDrive },
  nl: { ...nlCommon, ...nlDrive },
};
