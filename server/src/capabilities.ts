/**
 * The answer to `initialize`: a constant, so that it can be sent before the language server library
 * and the language itself are loaded (see early-init.ts). It imports nothing; the protocol's enum
 * values are written as the numbers and strings the protocol fixes.
 */

/** Semantic token types and modifiers, in the order the encoded tokens refer to them. */
export const TOKEN_TYPES = ['variable', 'property', 'function', 'string', 'number', 'keyword', 'type', 'event', 'class', 'namespace'] as const;
export const TOKEN_MODIFIERS = ['declaration', 'readonly', 'defaultLibrary', 'secret'] as const;

const TEXT_DOCUMENT_SYNC_INCREMENTAL = 2;

export const SERVER_INFO = { name: 'amq-lsp', version: '0.1.0' };

export function initializeResult() {
  return {
    capabilities: {
      textDocumentSync: TEXT_DOCUMENT_SYNC_INCREMENTAL,
      completionProvider: { triggerCharacters: [' ', '.', '{', '|', ':', '[', ',', '-'] },
      hoverProvider: true,
      documentSymbolProvider: true,
      definitionProvider: true,
      referencesProvider: true,
      codeActionProvider: { codeActionKinds: ['quickfix'] },
      renameProvider: { prepareProvider: true },
      documentHighlightProvider: true,
      documentLinkProvider: { resolveProvider: false },
      foldingRangeProvider: true,
      selectionRangeProvider: true,
      workspaceSymbolProvider: true,
      semanticTokensProvider: { legend: { tokenTypes: [...TOKEN_TYPES], tokenModifiers: [...TOKEN_MODIFIERS] }, full: true, range: true },
      inlayHintProvider: { resolveProvider: false },
      codeLensProvider: { resolveProvider: false },
    },
    serverInfo: SERVER_INFO,
  };
}
