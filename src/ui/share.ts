/**
 * The two URL keys of sharing, read before the page's own settings (urlState.ts) and kept out of
 * them: `embed=<figure>` (one figure for an iframe, see EmbedView.tsx) and `preset=<id>` (a teaching
 * preset, presets.ts, whose settings the link's explicit keys may override).
 */
import { EXPERIMENT_EMBEDS, type ExperimentEmbed } from '../experiments/registry';
import { PRESETS, presetById, presetParams, sameSettings, type Preset } from './presets';
import { DEFAULT_SETTINGS, showRaw } from './urlState';

/** The playground's own figures, each embedded with the playground's controls. */
export const PLAYGROUND_EMBEDS = ['training', 'projection', 'gating'] as const;
export type PlaygroundEmbed = (typeof PLAYGROUND_EMBEDS)[number];
/** Every figure that can be embedded: the playground's, then the chapters marked `embed` in the registry. */
export const EMBEDS: readonly EmbedName[] = [...PLAYGROUND_EMBEDS, ...EXPERIMENT_EMBEDS];
export type EmbedName = PlaygroundEmbed | ExperimentEmbed;

/** What `postMessage` sends to the embedding page whenever the embedded figure's height changes. */
export const HEIGHT_MESSAGE = 'factual-recall:height';
/** What the embedding page may send to ask for the height again (e.g. its listener started late). */
export const HEIGHT_REQUEST = 'factual-recall:request-height';

export function isPlaygroundEmbed(value: EmbedName): value is PlaygroundEmbed {
  return (PLAYGROUND_EMBEDS as readonly string[]).includes(value);
}

export function isEmbedName(value: string): value is EmbedName {
  return (EMBEDS as readonly string[]).includes(value);
}

export interface ShareParams {
  embed: EmbedName | null;
  preset: Preset | null;
  /** The query string for urlState.parsePageState: the preset's keys under the link's own, no embed/preset. */
  search: string;
  notices: string[];
}

/** Splits `embed` and `preset` off a query string. Never throws; a bad value gives a notice. */
export function readShareParams(search: string): ShareParams {
  let params: URLSearchParams;
  try {
    params = new URLSearchParams(typeof search === 'string' ? search : '');
  } catch {
    params = new URLSearchParams();
  }
  const notices: string[] = [];
  const embedRaw = params.getAll('embed');
  const presetRaw = params.getAll('preset');
  params.delete('embed');
  params.delete('preset');

  let embed: EmbedName | null = null;
  if (embedRaw.length) {
    const value = embedRaw[0].trim().toLowerCase();
    if (isEmbedName(value)) embed = value;
    else notices.push(`There is no figure called ${showRaw(embedRaw[0], 24)} to embed, so the whole page is shown. The figures are ${EMBEDS.join(', ')}.`);
  }
  let preset: Preset | null = null;
  if (presetRaw.length) {
    const found = presetById(presetRaw[0].trim().toLowerCase());
    if (found) preset = found;
    else notices.push(`There is no preset called ${showRaw(presetRaw[0], 24)}; the presets are ${PRESETS.map((p) => p.id).join(', ')}.`);
  }

  if (preset) {
    // The link's own keys win over the preset's.
    const own = new Set(params.keys());
    for (const [key, value] of presetParams(preset)) if (!own.has(key)) params.append(key, value);
  }
  const text = params.toString();
  return { embed, preset, search: text ? `?${text}` : '', notices };
}

/**
 * The address bar's query: `embed` and `preset` first, then the settings (urlState.toSearch's output).
 * A preset whose settings are the page's defaults (`geometry`) is left out: the link is the same run
 * without it.
 */
export function withShareParams(settingsSearch: string, embed: EmbedName | null, preset: Preset | null | undefined): string {
  const head = new URLSearchParams();
  if (embed) head.set('embed', embed);
  if (preset && sameSettings(preset.settings, DEFAULT_SETTINGS)) preset = null;
  if (preset) head.set('preset', preset.id);
  const first = head.toString();
  let rest = settingsSearch.replace(/^\?/, '');
  // A preset that plays would play again when the link is opened: say so when this run does not.
  if (preset?.autoplay && !new URLSearchParams(rest).has('autoplay')) rest = rest ? `${rest}&autoplay=0` : 'autoplay=0';
  const text = [first, rest].filter(Boolean).join('&');
  return text ? `?${text}` : '';
}
