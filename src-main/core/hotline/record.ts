import type { DispatchState } from '@shared/contract';

/**
 * What the hotline keeps per citizen ticket (journaled as a `hotline-ticket` record, keyed by ticket
 * id): the dispatch state of the contract plus what accuracy, duplicates and training need.
 */
export interface HotlineTicketRecord {
  ticketId: string;
  number: string;
  title: string;
  createdAt: string;
  /** The call text with phone numbers masked. */
  text: string;
  channel: 'phone' | 'web' | 'app' | 'wechat' | 'open311';
  externalId: string | null;
  /** As given by the caller; never put into an answer (only `maskPhone` of it). */
  callerPhone: string | null;
  callerName: string | null;
  lng: number | null;
  lat: number | null;
  district: string | null;
  street: string | null;
  cellId: string | null;
  /** The classifier's next classes at submit (full paths), for training rows after a misroute. */
  alternatives: string[];
  dispatch: DispatchState;
}
