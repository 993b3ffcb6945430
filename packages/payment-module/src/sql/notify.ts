// The one statement on no table: the NOTIFY that tells listening processes rows have committed (`Announcer`).

/** Notifies a channel's listeners; parameters: the channel, the payload. */
export const NOTIFY_SQL = 'select pg_notify(?, ?)';
