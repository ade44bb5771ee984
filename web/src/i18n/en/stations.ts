// Messages of the console's stations area (keys start with "stations.").
const messages: Record<string, string> = {};
export default messages;
