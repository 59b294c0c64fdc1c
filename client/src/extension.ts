import * as path from 'node:path';
import { ExtensionContext, extensions, window } from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions, TransportKind } from 'vscode-languageclient/node';
import { InitializationOptions, RedHatYamlNotification } from '../../server/src/protocol';
import { registerCommands } from './commands';
import { stageStatusBar } from './statusBar';

let client: LanguageClient | undefined;

/** Red Hat YAML validates kustomization files with the schema we contribute (`yamlValidation`); enabled means it activates on YAML files. */
const RED_HAT_YAML = 'redhat.vscode-yaml';
const redHatYamlActive = (): boolean => extensions.getExtension(RED_HAT_YAML) !== undefined;

/** Starts the bundled language server; everything the user sees is computed there. */
export async function activate(context: ExtensionContext): Promise<void> {
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
    synchronize: { configurationSection: 'meshKustomize' },
    initializationOptions: { redHatYamlActive: redHatYamlActive() } satisfies InitializationOptions,
    outputChannel,
  };
  client = new LanguageClient('meshKustomize', 'Mesh Kustomize', serverOptions, clientOptions);
  context.subscriptions.push(outputChannel, ...registerCommands(client), { dispose: () => void client?.stop() });
  await client.start();
  let redHat = redHatYamlActive();
  context.subscriptions.push(
    extensions.onDidChange(() => {
      if (redHatYamlActive() === redHat) return;
      redHat = !redHat;
      void client?.sendNotification(RedHatYamlNotification, { active: redHat });
    }),
  );
  context.subscriptions.push(stageStatusBar(client));
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
