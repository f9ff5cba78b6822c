-- Neovim 0.7 as an LSP client of amq-lsp: open a runbook, wait for the server's diagnostics,
-- ask for completion at a position, and write what came back as JSON.
vim.g.do_filetype_lua = 1
vim.g.did_load_filetypes = 0

local server = os.getenv('AMQ_LSP')
local file = os.getenv('RB_FILE')
local out = os.getenv('RB_OUT')
local line = tonumber(os.getenv('RB_LINE'))
local col = tonumber(os.getenv('RB_COL'))

vim.cmd('edit ' .. vim.fn.fnameescape(file))
local bufnr = vim.api.nvim_get_current_buf()
local published = false
local client = vim.lsp.start_client({
  cmd = { 'node', server, '--stdio' },
  root_dir = vim.fn.getcwd(),
  handlers = {
    ['textDocument/publishDiagnostics'] = function(err, result, ctx, config)
      vim.lsp.diagnostic.on_publish_diagnostics(err, result, ctx, config)
      published = true
    end,
  },
})
vim.lsp.buf_attach_client(bufnr, client)
vim.wait(20000, function() return published end, 20)

local diagnostics = {}
for _, d in ipairs(vim.diagnostic.get(bufnr)) do
  table.insert(diagnostics, { line = d.lnum, col = d.col, message = d.message, severity = d.severity, code = d.code })
end

local labels = {}
local replies = vim.lsp.buf_request_sync(bufnr, 'textDocument/completion', {
  textDocument = { uri = vim.uri_from_bufnr(bufnr) },
  position = { line = line, character = col },
}, 10000)
for _, reply in pairs(replies or {}) do
  local items = reply.result and (reply.result.items or reply.result) or {}
  for _, item in ipairs(items) do table.insert(labels, item.label) end
end

local f = io.open(out, 'w')
f:write(vim.fn.json_encode({ published = published, diagnostics = diagnostics, labels = labels }))
f:close()
vim.cmd('qa!')
