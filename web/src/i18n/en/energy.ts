// Messages of the console's energy area (keys start with "energy.").
const messages: Record<string, string> = {};
export default messages;
