import type { WebhookLogger } from '@tender/http';

export interface LogEntry {
  level: 'info' | 'warn' | 'error';
  obj: Record<string, unknown>;
  msg?: string;
}

export class MemoryLogger implements WebhookLogger {
  readonly entries: LogEntry[] = [];
  info(obj: object, msg?: string): void {
    this.entries.push({ level: 'info', obj: obj as Record<string, unknown>, msg });
  }
  warn(obj: object, msg?: string): void {
    this.entries.push({ level: 'warn', obj: obj as Record<string, unknown>, msg });
  }
  error(obj: object, msg?: string): void {
    this.entries.push({ level: 'error', obj: obj as Record<string, unknown>, msg });
  }
  errors(): LogEntry[] {
    return this.entries.filter((entry) => entry.level === 'error');
  }
}
