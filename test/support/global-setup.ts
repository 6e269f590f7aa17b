// Replaced by the database template setup once migrations exist.
export default async function setup(): Promise<void> {}
