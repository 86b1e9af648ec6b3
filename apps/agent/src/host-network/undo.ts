/** One thing a setup made, and how to take it back. */
interface UndoStep {
  what: string;
  undo: () => Promise<void>;
}

/**
 * What a setup has made so far, undone in reverse order when a later step fails: a failed setup
 * leaves nothing behind. Undo steps must tolerate the object being gone already.
 */
export class UndoStack {
  private steps: UndoStep[] = [];

  add(what: string, undo: () => Promise<void>): void {
    this.steps.push({ what, undo });
  }

  /** Undoes every step (latest first), going on past failures; returns what could not be undone. */
  async rollback(): Promise<string[]> {
    const problems: string[] = [];
    for (const step of this.steps.reverse()) {
      try {
        await step.undo();
      } catch (e) {
        problems.push(`${step.what}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    this.steps = [];
    return problems;
  }

  /** The setup succeeded: keep what it made. */
  commit(): void {
    this.steps = [];
  }
}

/** Error of a setup that failed, after undoing what it made (`leftovers` names what could not be). */
export class SetupFailedError extends Error {
  constructor(
    cause: unknown,
    readonly leftovers: string[],
  ) {
    const message = cause instanceof Error ? cause.message : String(cause);
    super(leftovers.length === 0 ? message : `${message} (and undoing it failed: ${leftovers.join('; ')})`, {
      cause,
    });
    this.name = 'SetupFailedError';
  }
}

/** Runs `setup` with a fresh stack; if it throws, undoes what it recorded and throws SetupFailedError. */
export async function withUndo<T>(setup: (undo: UndoStack) => Promise<T>): Promise<T> {
  const undo = new UndoStack();
  try {
    const result = await setup(undo);
    undo.commit();
    return result;
  } catch (e) {
    throw new SetupFailedError(e, await undo.rollback());
  }
}
