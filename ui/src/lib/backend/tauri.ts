// The backend the app runs on: Tauri's IPC.
import { invoke } from '@tauri-apps/api/core';
import { listen } from '@tauri-apps/api/event';
import type { Events } from '../generated/commands';
import type { ArgsOf, Backend, Command, EventName, ResultOf, Unlisten } from './backend';

export const tauriBackend: Backend = {
  invoke<K extends Command>(name: K, args: ArgsOf<K>): Promise<ResultOf<K>> {
    return invoke<ResultOf<K>>(name, args);
  },
  listen<E extends EventName>(event: E, handler: (payload: Events[E]) => void): Promise<Unlisten> {
    return listen<Events[E]>(event, (e) => handler(e.payload));
  },
};
