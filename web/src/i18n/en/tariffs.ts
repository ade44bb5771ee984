// Messages of the console's tariffs area (keys start with "tariffs.").
const messages: Record<string, string> = {};
export default messages;
