// Messages of the console's tokens area (keys start with "tokens.").
const messages: Record<string, string> = {};
export default messages;
