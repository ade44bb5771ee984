// Gemeinsame Texte (Schlüssel "common.", "app.", "lang.").
const messages: Record<string, string> = {
  'app.name': 'Gridlane',
  'app.skip': 'Zum Inhalt springen',
  'app.language': 'Sprache',
  'common.loading': 'Wird geladen…',
  'common.error': 'Etwas ist schiefgegangen: {detail}',
  'common.retry': 'Erneut versuchen',
  'common.save': 'Speichern',
  'common.cancel': 'Abbrechen',
  'common.close': 'Schließen',
  'common.search': 'Suchen',
  'common.yes': 'Ja',
  'common.no': 'Nein',
  'common.previous': 'Zurück',
  'common.next': 'Weiter',
  'common.empty': 'Noch nichts hier.',
  'common.online': 'Online',
  'common.offline': 'Offline',
  'lang.en': 'English',
  'lang.de': 'Deutsch',
  'lang.nl': 'Nederlands',
};
export default messages;
