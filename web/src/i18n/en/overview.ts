// Messages of the console's overview area (keys start with "overview.").
const messages: Record<string, string> = {
  'overview.nav': 'Overview',
  'overview.title': 'Overview',
  'overview.feed': 'Live events',
};
export default messages;
