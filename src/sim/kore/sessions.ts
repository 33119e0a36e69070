/** A bot's sessions as the Kore.ai simulator keeps them: what a call leaves (transcript, summary). */
export interface SimKoreMessage {
  _id: string;
  type: 'incoming' | 'outgoing';
  text: string;
  createdOn: string;
}

export interface SimKoreSession {
  sessionId: string;
  botId: string;
  userId: string;
  callId?: string;
  channel: string;
  startTime: string;
  endTime: string;
  containmentType: 'selfService' | 'agent' | 'dropOff';
  messages: SimKoreMessage[];
  summary: string;
  /** Epoch ms from which conversationDetails includes the summary (XO GPT takes minutes). */
  summaryReadyAt: number;
}

export interface NewSession {
  callId?: string;
  userId?: string;
  transcript?: Array<{ type: 'incoming' | 'outgoing'; text: string }>;
  summary?: string;
  summaryDelayMs?: number;
  containmentType?: SimKoreSession['containmentType'];
}

export const DEFAULT_TRANSCRIPT: NonNullable<NewSession['transcript']> = [
  { type: 'outgoing', text: 'Hello, thanks for calling. How can I help?' },
  { type: 'incoming', text: 'I want to check my order status, and then talk to an agent please.' },
  { type: 'outgoing', text: 'Your order ships tomorrow. Transferring you to an agent now.' },
];
