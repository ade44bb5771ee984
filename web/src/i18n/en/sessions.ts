// Messages of the console's sessions area (keys start with "sessions.").
const messages: Record<string, string> = {};
export default messages;
