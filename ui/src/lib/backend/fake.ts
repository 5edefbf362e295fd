// A backend for tests: each command answers what the test says (a value, a function of the
// arguments, or an error to reject with), every call is recorded, and events are pushed by hand.
// A command the test did not answer rejects, so a screen calling something unexpected is seen.
import type { AppError } from '../generated/AppError';
import type { Events } from '../generated/commands';
import type { ArgsOf, Backend, Command, EventName, ResultOf, Unlisten } from './backend';

type Answer<K extends Command> = (args: ArgsOf<K>) => ResultOf<K> | Promise<ResultOf<K>>;

export class FakeBackend implements Backend {
  readonly calls: { name: Command; args: unknown }[] = [];
  private readonly answers = new Map<Command, (args: unknown) => unknown>();
  private readonly listeners = new Map<EventName, Set<(payload: unknown) => void>>();

  /** Answers every later `name` call with `answer` (a function of the arguments). */
  answer<K extends Command>(name: K, answer: Answer<K>): this {
    this.answers.set(name, answer as (args: unknown) => unknown);
    return this;
  }

  /** Answers every later `name` call with `value`. */
  returns<K extends Command>(name: K, value: ResultOf<K>): this {
    return this.answer(name, () => value);
  }

  /** Rejects every later `name` call with `error`, as Rust would. */
  fails<K extends Command>(name: K, error: AppError): this {
    return this.answer(name, () => Promise.reject(error));
  }

  /** The arguments of every `name` call so far, oldest first. */
  callsOf<K extends Command>(name: K): ArgsOf<K>[] {
    return this.calls.filter((c) => c.name === name).map((c) => c.args as ArgsOf<K>);
  }

  async invoke<K extends Command>(name: K, args: ArgsOf<K>): Promise<ResultOf<K>> {
    this.calls.push({ name, args });
    const answer = this.answers.get(name);
    if (!answer) throw new Error(`FakeBackend: the test gave no answer for ${name}`);
    return (await answer(args)) as ResultOf<K>;
  }

  async listen<E extends EventName>(event: E, handler: (payload: Events[E]) => void): Promise<Unlisten> {
    const set = this.listeners.get(event) ?? new Set();
    this.listeners.set(event, set);
    const listener = handler as (payload: unknown) => void;
    set.add(listener);
    return () => set.delete(listener);
  }

  /** Pushes `event` to everyone listening, as Rust would. */
  emit<E extends EventName>(event: E, payload: Events[E]): void {
    for (const listener of this.listeners.get(event) ?? []) listener(payload);
  }
}
