// Gedeelde teksten (sleutels "common.", "app.", "lang.").
const messages: Record<string, string> = {
  'app.name': 'Gridlane',
  'app.skip': 'Naar de inhoud',
  'app.language': 'Taal',
  'common.loading': 'Laden…',
  'common.error': 'Er ging iets mis: {detail}',
  'common.retry': 'Opnieuw proberen',
  'common.save': 'Opslaan',
  'common.cancel': 'Annuleren',
  'common.close': 'Sluiten',
  'common.search': 'Zoeken',
  'common.yes': 'Ja',
  'common.no': 'Nee',
  'common.previous': 'Vorige',
  'common.next': 'Volgende',
  'common.empty': 'Nog niets hier.',
  'common.online': 'Online',
  'common.offline': 'Offline',
  'lang.en': 'English',
  'lang.de': 'Deutsch',
  'lang.nl': 'Nederlands',
};
export default messages;
