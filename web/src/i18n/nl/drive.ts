// Driver portal messages (keys start with "drive.").
const messages: Record<string, string> = {};
export default messages;
