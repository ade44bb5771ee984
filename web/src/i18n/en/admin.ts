// Messages of the console's admin area (keys start with "admin.").
const messages: Record<string, string> = {};
export default messages;
