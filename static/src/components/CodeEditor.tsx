// A JavaScript editor for rule scripts: CodeMirror 6 with highlighting, line
// numbers, undo and redo and the usual editing keys (Tab still moves focus
// out, as elsewhere on the page), and one line marked where the last publish
// or test failed (and the lines a publish warned about).
import { useEffect, useRef } from 'react';
import { EditorState, StateEffect, StateField, type Extension } from '@codemirror/state';
import { Decoration, EditorView, drawSelection, highlightActiveLine, highlightActiveLineGutter, keymap, lineNumbers, type DecorationSet } from '@codemirror/view';
import { defaultHighlightStyle, indentOnInput, syntaxHighlighting, bracketMatching } from '@codemirror/language';
import { javascript } from '@codemirror/lang-javascript';
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { autocompletion, completionKeymap, type CompletionSource } from '@codemirror/autocomplete';

const setErrorLine = StateEffect.define<number | null>();
const errorLineMark = Decoration.line({ class: 'cm-error-line', attributes: { 'data-testid': 'error-line' } });
const setWarningLines = StateEffect.define<number[]>();
const warningLineMark = Decoration.line({ class: 'cm-warning-line', attributes: { 'data-testid': 'warning-line' } });

/** Lines a publish warned about (a name that does not exist), cleared on the next edit like the error mark. */
const warningLinesField = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(marks, transaction) {
    let next = transaction.docChanged ? Decoration.none : marks;
    for (const effect of transaction.effects) {
      if (!effect.is(setWarningLines)) continue;
      const lines = [...new Set(effect.value)].filter((l) => l >= 1 && l <= transaction.state.doc.lines).sort((a, b) => a - b);
      next = Decoration.set(lines.map((l) => warningLineMark.range(transaction.state.doc.line(l).from)));
    }
    return next;
  },
  provide: (field) => EditorView.decorations.from(field),
});

/** The marked line, cleared as soon as the script is edited: the mark describes the text as it was. */
const errorLineField = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(marks, transaction) {
    let next = transaction.docChanged ? Decoration.none : marks;
    for (const effect of transaction.effects) {
      if (!effect.is(setErrorLine)) continue;
      const line = effect.value;
      next = line !== null && line >= 1 && line <= transaction.state.doc.lines
        ? Decoration.set([errorLineMark.range(transaction.state.doc.line(line).from)])
        : Decoration.none;
    }
    return next;
  },
  provide: (field) => EditorView.decorations.from(field),
});

interface Props {
  id: string;
  /** Read by screen readers as the editor's name. */
  label: string;
  value: string;
  onChange?(value: string): void;
  readOnly?: boolean;
  errorLine?: number | null;
  /** Lines marked as warned about (publish warnings). */
  warningLines?: number[];
  /** Ctrl+S / Cmd+S inside the editor. */
  onSave?(): void;
  /** What to offer as the admin types (Ctrl+Space asks explicitly). */
  completions?: CompletionSource;
  testId?: string;
}

export function CodeEditor({ id, label, value, onChange, readOnly = false, errorLine = null, warningLines, onSave, completions, testId }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const callbacks = useRef({ onChange, onSave });
  callbacks.current = { onChange, onSave };

  useEffect(() => {
    if (!host.current) return;
    const extensions: Extension[] = [
      lineNumbers(),
      highlightActiveLineGutter(),
      highlightActiveLine(),
      drawSelection(),
      indentOnInput(),
      bracketMatching(),
      syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
      javascript(),
      errorLineField,
      warningLinesField,
      history(),
      ...(completions && !readOnly ? [autocompletion({ override: [completions], icons: false })] : []),
      keymap.of([
        {
          key: 'Mod-s',
          preventDefault: true,
          run: () => {
            callbacks.current.onSave?.();
            return true;
          },
        },
        ...completionKeymap,
        ...defaultKeymap,
        ...historyKeymap,
      ]),
      EditorView.updateListener.of((update) => {
        if (update.docChanged) callbacks.current.onChange?.(update.state.doc.toString());
      }),
      EditorView.contentAttributes.of({ 'aria-label': label, id }),
      EditorState.readOnly.of(readOnly),
      EditorView.editable.of(!readOnly),
    ];
    const editor = new EditorView({ parent: host.current, state: EditorState.create({ doc: value, extensions }) });
    view.current = editor;
    return () => {
      editor.destroy();
      view.current = null;
    };
    // The editor owns its text once created; outside changes arrive through the effect below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [readOnly]);

  useEffect(() => {
    const editor = view.current;
    if (editor && editor.state.doc.toString() !== value) {
      editor.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: value } });
    }
  }, [value]);

  useEffect(() => {
    const editor = view.current;
    if (!editor) return;
    editor.dispatch({ effects: setErrorLine.of(errorLine) });
    if (errorLine !== null && errorLine >= 1 && errorLine <= editor.state.doc.lines) {
      editor.dispatch({ effects: EditorView.scrollIntoView(editor.state.doc.line(errorLine).from, { y: 'center' }) });
    }
  }, [errorLine]);

  const warned = (warningLines ?? []).join(',');
  useEffect(() => {
    const editor = view.current;
    if (!editor) return;
    editor.dispatch({ effects: setWarningLines.of(warned ? warned.split(',').map(Number) : []) });
  }, [warned]);

  return (
    <div
      ref={host}
      className={`code-editor${readOnly ? ' code-editor--read-only' : ''}`}
      data-testid={testId}
      // An Escape the editor used (closing the completion list, say) must not also close the dialog around it.
      onKeyDown={(event) => {
        if (event.key === 'Escape' && event.defaultPrevented) event.stopPropagation();
      }}
    />
  );
}
