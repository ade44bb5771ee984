// Messages of the console's locations area (keys start with "locations.").
const messages: Record<string, string> = {};
export default messages;
