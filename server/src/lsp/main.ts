import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './server';

// The transport comes from the command line: --stdio for any LSP client, --node-ipc from VS Code.
if (!process.argv.some((arg) => ['--stdio', '--node-ipc', '--pipe'].includes(arg) || arg.startsWith('--socket') || arg.startsWith('--pipe='))) {
  process.argv.push('--stdio');
}
startServer(createConnection(ProposedFeatures.all));
