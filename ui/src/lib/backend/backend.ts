// The one door between the UI and Rust: screens call `api` (../api.ts), `api` calls the Backend
// installed here. The app installs the Tauri backend (tauri.ts) before it mounts; tests install a
// FakeBackend (fake.ts) and answer the commands themselves. Command and event names, arguments
// and results are typed by the table generated from Rust (../generated/commands.ts).
import type { Commands, Events } from '../generated/commands';

export type Command = keyof Commands;
export type ArgsOf<K extends Command> = Commands[K]['args'];
export type ResultOf<K extends Command> = Commands[K]['result'];
export type EventName = keyof Events;
export type Unlisten = () => void;

export interface Backend {
  /** Runs a command; rejects with what Rust sent (an AppError) or what the transport threw. */
  invoke<K extends Command>(name: K, args: ArgsOf<K>): Promise<ResultOf<K>>;
  /** Calls `handler` with every `event` Rust pushes until the returned function is called. */
  listen<E extends EventName>(event: E, handler: (payload: Events[E]) => void): Promise<Unlisten>;
}

let installed: Backend | null = null;

export function useBackend(backend: Backend): void {
  installed = backend;
}

export function backend(): Backend {
  if (!installed) throw new Error('no backend installed: call useBackend() before mounting');
  return installed;
}
