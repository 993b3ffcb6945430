import type { MikroORM } from '@mikro-orm/postgresql';
import { selectEntity } from '../database/select-entities.js';
import { PaymentSession } from '../models/index.js';
import { type PaymentSessionDTO, toSessionDTO } from '../services/dto.js';
import { SESSION_BY_ID_SQL } from '../sql/payment-session.js';

/** A stored payment session, read with the module's own statement; undefined when there is none. */
export async function storedSession(orm: MikroORM, sessionId: string): Promise<PaymentSessionDTO | undefined> {
  const session = await selectEntity(orm.em.fork(), PaymentSession, SESSION_BY_ID_SQL, [sessionId]);
  return session ? toSessionDTO(session) : undefined;
}
