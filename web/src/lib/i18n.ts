// One message catalogue for every text on the pages (src/i18n/<lang>/<area>.ts). t(key, params)
// looks the key up in the chosen language, then in English; `{name}` placeholders are filled
// from params. A missing key shows the key itself (and the e2e tests look for none).
import { catalogues, type Lang, languages } from '../i18n';

const KEY = 'gridlane.lang';
let lang: Lang = pick();

function pick(): Lang {
  const stored = localStorage.getItem(KEY);
  if (stored && (languages as readonly string[]).includes(stored)) return stored as Lang;
  for (const l of navigator.languages || [navigator.language]) {
    const base = l.toLowerCase().split('-')[0];
    if ((languages as readonly string[]).includes(base)) return base as Lang;
  }
  return 'en';
}

export function currentLang(): Lang {
  return lang;
}

/** The viewer's locale for numbers and dates: the browser's when it speaks the chosen language. */
export function locale(): string {
  const browser = navigator.language || 'en';
  return browser.toLowerCase().startsWith(lang) ? browser : lang;
}

export function setLang(next: Lang): void {
  lang = next;
  localStorage.setItem(KEY, next);
  document.documentElement.lang = next;
}

export function t(key: string, params?: Record<string, string | number>): string {
  const text = catalogues[lang][key] ?? catalogues.en[key] ?? key;
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}

/** True when `key` exists in English (the complete catalogue). */
export function has(key: string): boolean {
  return key in catalogues.en;
}

document.documentElement.lang = lang;
