-- Neovim 0.7 as an LSP client of amq-lsp: open a runbook, wait for the server's diagnostics, ask for
-- completion at a position; with RB_NEW_NAME, also the inlay hints and code lenses the server gives,
-- then rename at RB_RENAME_LINE:RB_RENAME_COL through the client (its prepareRename, then the
-- workspace edit applied to the runbook and its inventory). What came back is written as JSON.
vim.g.do_filetype_lua = 1
vim.g.did_load_filetypes = 0

local server = os.getenv('AMQ_LSP')
local file = os.getenv('RB_FILE')
local out = os.getenv('RB_OUT')
local line = tonumber(os.getenv('RB_LINE'))
local col = tonumber(os.getenv('RB_COL'))
local new_name = os.getenv('RB_NEW_NAME')

vim.cmd('edit ' .. vim.fn.fnameescape(file))
local bufnr = vim.api.nvim_get_current_buf()
local published = false
local client = vim.lsp.start_client({
  cmd = { 'node', server, '--stdio' },
  root_dir = vim.fn.fnamemodify(file, ':h'),
  handlers = {
    ['textDocument/publishDiagnostics'] = function(err, result, ctx, config)
      vim.lsp.diagnostic.on_publish_diagnostics(err, result, ctx, config)
      published = true
    end,
  },
})
vim.lsp.buf_attach_client(bufnr, client)
vim.wait(20000, function() return published end, 20)

local result = { published = published, diagnostics = {}, labels = {} }
for _, d in ipairs(vim.diagnostic.get(bufnr)) do
  table.insert(result.diagnostics, { line = d.lnum, col = d.col, message = d.message, severity = d.severity, code = d.code })
end

local function each_result(method, params, f)
  for _, reply in pairs(vim.lsp.buf_request_sync(bufnr, method, params, 10000) or {}) do
    local items = reply.result and (reply.result.items or reply.result) or {}
    for _, item in ipairs(items) do f(item) end
  end
end

local doc = { uri = vim.uri_from_bufnr(bufnr) }
each_result('textDocument/completion', { textDocument = doc, position = { line = line, character = col } }, function(item)
  table.insert(result.labels, item.label)
end)

if new_name then
  local function text_of(b)
    return table.concat(vim.api.nvim_buf_get_lines(b, 0, -1, false), '\n')
  end
  result.hints = {}
  local whole = { start = { line = 0, character = 0 }, ['end'] = { line = vim.api.nvim_buf_line_count(bufnr), character = 0 } }
  each_result('textDocument/inlayHint', { textDocument = doc, range = whole }, function(h)
    table.insert(result.hints, { line = h.position.line, label = h.label })
  end)
  vim.lsp.codelens.refresh()
  vim.wait(10000, function() return #vim.lsp.codelens.get(bufnr) > 0 end, 20)
  result.lenses = {}
  for _, l in ipairs(vim.lsp.codelens.get(bufnr)) do table.insert(result.lenses, { line = l.range.start.line, title = l.command and l.command.title or '' }) end
  vim.api.nvim_win_set_cursor(0, { tonumber(os.getenv('RB_RENAME_LINE')) + 1, tonumber(os.getenv('RB_RENAME_COL')) })
  vim.lsp.buf.rename(new_name)
  vim.wait(10000, function() return string.find(text_of(bufnr), new_name, 1, true) ~= nil end, 20)
  result.runbook = text_of(bufnr)
  local inv = vim.fn.bufnr(os.getenv('RB_INVENTORY'))
  result.inventory = inv > 0 and text_of(inv) or ''
end

local f = io.open(out, 'w')
f:write(vim.fn.json_encode(result))
f:close()
vim.cmd('qa!')
