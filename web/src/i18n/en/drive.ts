// Messages of the driver portal (keys start with "drive.").
const messages: Record<string, string> = {
  'drive.title': 'Charge with Gridlane',
};
export default messages;
