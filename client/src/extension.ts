import * as path from 'node:path';
import { ExtensionContext, extensions, window } from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions, State, TransportKind } from 'vscode-languageclient/node';
import { ClientCommands, InitializationOptions, RedHatYamlNotification } from '../../server/src/protocol';
import { SETTINGS_SECTION } from '../../server/src/settings';
import { registerCommands } from './commands';
import { rolloutView } from './rolloutView';
import { registerProbe } from './probe';
import { stageStatusBar } from './statusBar';

let client: LanguageClient | undefined;

/** Red Hat YAML validates kustomization files with the schema we contribute (`yamlValidation`); enabled means it activates on YAML files. */
const RED_HAT_YAML = 'redhat.vscode-yaml';
const redHatYamlActive = (): boolean => extensions.getExtension(RED_HAT_YAML) !== undefined;

/**
 * Starts the bundled language server; everything the user sees is computed there. Activation does
 * not wait for it: spawning the server and its initialize round trip happen after activate()
 * returns. Requests made meanwhile (commands, the status bar) wait for the start.
 */
export function activate(context: ExtensionContext): void {
  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const outputChannel = window.createOutputChannel('Mesh Kustomize', { log: true });
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'yaml' },
      { scheme: 'file', pattern: '**/Kustomization' },
    ],
    initializationOptions: { redHatYamlActive: redHatYamlActive(), clientCommands: Object.values(ClientCommands) } satisfies InitializationOptions,
    outputChannel,
  };
  // Settings are not pushed (`synchronize.configurationSection` is deprecated): the server registers for
  // didChangeConfiguration of our section and pulls the values with workspace/configuration, per file.
  // The id is the section, so that VS Code reads `meshKustomize.trace.server`.
  client = new LanguageClient(SETTINGS_SECTION, 'Mesh Kustomize', serverOptions, clientOptions);
  context.subscriptions.push(outputChannel, ...registerCommands(client), { dispose: () => void stopClient().catch(() => undefined) });
  // Before anything sends a request: a request on a client that was never started would start it.
  client.start().catch((error: unknown) => {
    outputChannel.error(`The language server did not start: ${error instanceof Error ? error.message : String(error)}`);
  });
  let redHat = redHatYamlActive();
  context.subscriptions.push(
    extensions.onDidChange(() => {
      if (redHatYamlActive() === redHat) return;
      redHat = !redHat;
      void client?.sendNotification(RedHatYamlNotification, { active: redHat });
    }),
  );
  context.subscriptions.push(stageStatusBar(client), rolloutView(client, context.extensionUri), registerProbe(client));
}

/** Stops the server once; a start under way is let finish first, since a starting client cannot be stopped. */
async function stopClient(): Promise<void> {
  const current = client;
  client = undefined;
  if (!current) return;
  // While starting (first start or a restart after a crash), start() returns the start under way.
  if (current.state === State.Starting) await current.start().catch(() => undefined);
  if (current.isRunning()) await current.stop();
}

export function deactivate(): Promise<void> {
  return stopClient();
}
