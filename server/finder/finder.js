// The newcomers' activity finder (docs/finder.md). Plain JavaScript, no framework and no build
// step; it reads the public GraphQL API only, by persisted GET requests that name the reader's
// language in Accept-Language.
//
// The URL holds the whole state, so that a link can be shared: /finder/{lang}?q=…&municipality=…
// &category=…&language=…&from=…&until=…&place=…&radius=…&activity=….
import { documents } from "./queries.js";
import { languages, messages, spokenLanguages } from "./messages.js";
import { places, radii } from "./places.js";

const STORAGE_KEY = "partnernet.finder.language";
const PAGE_SIZE = 20;
const TIME_ZONE = "Europe/Stockholm";
const DEFAULT_RADIUS = 10;

const $ = (id) => document.getElementById(id);

/** The page's state besides the URL. */
const state = {
  lang: languages[0],
  hashes: new Map(), // document text → SHA-256, from the manifest
  here: null, // the reader's position, when they asked for it (never put in the URL)
  after: null,
  shown: 0,
  request: 0, // the latest result request; older answers are dropped
  vocabulary: null, // Query.vocabulary in the page's language, once read
};

// ---- language ---------------------------------------------------------------------------------

/** The finder language of tag, matched case-insensitively, or undefined. */
function languageOf(tag) {
  if (!tag) return undefined;
  return languages.find((l) => l.tag.toLowerCase() === String(tag).toLowerCase());
}

/** The language named by the path /finder/{lang}, or undefined. */
function pathLanguage() {
  const m = location.pathname.match(/^\/finder\/([^/]+)$/);
  return m ? languageOf(decodeURIComponent(m[1])) : undefined;
}

function savedLanguage() {
  try {
    return languageOf(localStorage.getItem(STORAGE_KEY));
  } catch {
    return undefined; // storage refused (private mode): the URL still holds the choice
  }
}

function saveLanguage(tag) {
  try {
    localStorage.setItem(STORAGE_KEY, tag);
  } catch {
    // the URL still holds the choice
  }
}

/** The interface string key, with {name} placeholders filled in from values. */
function t(key, values = {}) {
  const m = messages[state.lang.tag][key] ?? messages.en[key] ?? key;
  return String(m).replace(/\{(\w+)\}/g, (_, name) => values[name] ?? "");
}

/** The result count, in the plural form the language gives n. */
function countText(n) {
  const forms = messages[state.lang.tag].count;
  const form = new Intl.PluralRules(state.lang.tag).select(n);
  return (forms[form] ?? forms.other).replace("{n}", number(n));
}

function number(n, options) {
  return new Intl.NumberFormat([state.lang.tag, "en"], options).format(n);
}

/** The lists of Query.vocabulary the page reads, by the page's name for them. */
const vocabularyLists = { categories: "categories", targetGroups: "targetGroups", availability: "placeAvailabilities" };

/**
 * The labels of an enumeration's values (categories, targetGroups, availability) in the page's
 * language, as { VALUE: label }, in the schema's order: the API's (Query.vocabulary, read at
 * start; labels.go holds them, complete in every offered language).
 */
function vocabulary(kind) {
  return Object.fromEntries(state.vocabulary[vocabularyLists[kind]].map((l) => [l.value, l.text.text]));
}

/**
 * The language and direction of a text as the API says it came (LocalizedText): the reader's
 * own, or the fallback's when the activity has none in the reader's language. The interface
 * language when the API does not say.
 */
function textLanguage(localized) {
  if (!localized) return { lang: state.lang.tag, dir: state.lang.dir };
  return { lang: localized.language, dir: localized.direction === "RTL" ? "rtl" : "ltr" };
}

function applyLanguage() {
  const root = document.documentElement;
  root.lang = state.lang.tag;
  root.dir = state.lang.dir;
  document.title = t("title");
  for (const el of document.querySelectorAll("[data-m]")) el.textContent = t(el.dataset.m);
}

function renderLanguagePicker() {
  const list = $("languages");
  list.replaceChildren(
    ...languages.map((l) => {
      const a = el("a", { href: languageHref(l.tag), lang: l.tag, hreflang: l.tag, dir: l.dir }, l.name);
      if (l.tag === state.lang.tag) a.setAttribute("aria-current", "true");
      a.addEventListener("click", () => saveLanguage(l.tag));
      return el("li", {}, a);
    }),
  );
}

function languageHref(tag) {
  return `/finder/${tag}${location.search}`;
}

function updateLanguageLinks() {
  for (const a of $("languages").querySelectorAll("a")) a.href = languageHref(a.hreflang);
}

// ---- the API ----------------------------------------------------------------------------------

/** Reads the manifest of persisted documents: each document's text to its SHA-256. */
async function loadManifest() {
  const res = await fetch("/finder/assets/persisted-documents.json");
  if (!res.ok) throw new Error(`manifest: HTTP ${res.status}`);
  for (const [hash, doc] of Object.entries(await res.json())) state.hashes.set(doc, hash);
}

/** Runs the persisted document of queries.js named name, by GET with its hash only. */
async function graphql(name, variables = {}) {
  const hash = state.hashes.get(documents[name]);
  if (!hash) throw new Error(`${name} is not in the manifest of persisted documents`);
  const params = new URLSearchParams({
    operationName: name,
    variables: JSON.stringify(variables),
    extensions: JSON.stringify({ persistedQuery: { version: 1, sha256Hash: hash } }),
  });
  const res = await fetch(`/graphql?${params}`, {
    headers: { Accept: "application/graphql-response+json, application/json", "Accept-Language": state.lang.tag },
  });
  const body = await res.json();
  if (body.errors?.length) throw new Error(body.errors.map((e) => e.extensions?.code ?? e.message).join(", "));
  return body.data;
}

// ---- helpers ----------------------------------------------------------------------------------

/** Makes an element with attributes and children (strings become text, never HTML). */
function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null && v !== false) e.setAttribute(k, v);
  for (const c of children.flat()) if (c !== undefined && c !== null && c !== "") e.append(c);
  return e;
}

function option(value, label, attrs = {}) {
  return el("option", { value, ...attrs }, label);
}

/** Midnight of a YYYY-MM-DD day in Stockholm, as RFC 3339 with Stockholm's offset that night. */
function stockholmMidnight(day) {
  const [y, m, d] = day.split("-").map(Number);
  const probe = new Date(Date.UTC(y, m - 1, d)); // 01:00 or 02:00 in Stockholm, before any change of clocks
  const name = new Intl.DateTimeFormat("en-US", { timeZone: TIME_ZONE, timeZoneName: "longOffset" })
    .formatToParts(probe).find((p) => p.type === "timeZoneName").value;
  const offset = name === "GMT" ? "+00:00" : name.slice(3);
  return `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}T00:00:00${offset}`;
}

function nextDay(day) {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString().slice(0, 10);
}

const validDay = (v) => /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`));

function dateFormat(options) {
  return new Intl.DateTimeFormat([state.lang.tag, "en"], { timeZone: TIME_ZONE, ...options });
}

function when(occurrence, long = false) {
  const f = dateFormat(long
    ? { weekday: "long", day: "numeric", month: "long", hour: "2-digit", minute: "2-digit" }
    : { weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" });
  return f.formatRange(new Date(occurrence.startsAt), new Date(occurrence.endsAt));
}

/** Great-circle distance in km. */
function distanceKm(a, b) {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 12742 * Math.asin(Math.sqrt(h));
}

function cost(c) {
  if (!c || c.free) return t("free");
  return number(c.amountSek, { style: "currency", currency: "SEK", maximumFractionDigits: 0 });
}

// ---- the filters ------------------------------------------------------------------------------

function fillFilterOptions(municipalities) {
  const categories = vocabulary("categories");
  $("category").append(...Object.entries(categories).map(([value, label]) => option(value, label)));
  $("language").append(...Object.entries(spokenLanguages).map(([code, name]) => option(code, name, { lang: code })));
  $("municipality").append(...municipalities.map((m) => option(m.code, m.name)));
  $("place").append(...places.map((p) => option(p.name, p.name)));
  $("radius").append(...radii.map((km) => option(String(km), t("km", { n: number(km) }))));
  $("radius").value = String(DEFAULT_RADIUS);
}

/** The filters of the URL, checked: what is not valid is left out. */
function urlFilters() {
  const q = new URLSearchParams(location.search);
  const f = {};
  const text = (q.get("q") ?? "").trim().slice(0, 100);
  if (text) f.q = text;
  for (const name of ["municipality", "category", "language"]) {
    const v = q.get(name);
    if (v && [...$(name).options].some((o) => o.value === v)) f[name] = v;
  }
  for (const name of ["from", "until"]) {
    const v = q.get(name);
    if (v && validDay(v)) f[name] = v;
  }
  const place = q.get("place");
  if (place && places.some((p) => p.name === place)) f.place = place;
  const radius = Number(q.get("radius"));
  f.radius = radii.includes(radius) ? radius : DEFAULT_RADIUS;
  return f;
}

function showFilters(f) {
  $("q").value = f.q ?? "";
  for (const name of ["municipality", "category", "language", "from", "until"]) $(name).value = f[name] ?? "";
  $("place").value = f.place ?? (state.here ? "here" : "");
  $("radius").value = String(f.radius);
  $("until").min = f.from ?? "";
}

/** The URL query of the form's filters (the reader's own position stays out of it). */
function formQuery() {
  const q = new URLSearchParams();
  const text = $("q").value.trim().slice(0, 100);
  if (text) q.set("q", text);
  for (const name of ["municipality", "category", "language", "from", "until"]) {
    const v = $(name).value;
    if (v) q.set(name, v);
  }
  const place = $("place").value;
  if (place && place !== "here") q.set("place", place);
  if (place) q.set("radius", $("radius").value);
  return q;
}

/** The API's filter and order for f. */
function apiFilter(f) {
  const filter = {};
  if (f.q) filter.text = f.q;
  if (f.municipality) filter.municipalityCodes = [f.municipality];
  if (f.category) filter.categories = [f.category];
  if (f.language) filter.languages = [f.language];
  if (f.from) filter.occursFrom = stockholmMidnight(f.from);
  if (f.until) filter.occursUntil = stockholmMidnight(nextDay(f.until));
  const point = origin(f);
  let orderBy = null;
  if (point) {
    filter.near = { latitude: point.lat, longitude: point.lon, radiusKm: f.radius };
    orderBy = { field: "DISTANCE", direction: "ASC" };
  }
  return { filter, orderBy };
}

/** The point distances are measured from: the chosen place, or the reader's position. */
function origin(f) {
  if (f.place) return places.find((p) => p.name === f.place);
  if ($("place").value === "here" && state.here) return state.here;
  return null;
}

function askPosition() {
  const status = $("place-status");
  if (!navigator.geolocation) {
    status.textContent = t("locationFailed");
    $("place").value = "";
    return;
  }
  status.textContent = t("locating");
  navigator.geolocation.getCurrentPosition(
    (pos) => {
      // Rounded to about a kilometre: the position goes to the server in the request's URL, and
      // no more of it is needed to find what is near.
      const round = (x) => Math.round(x * 100) / 100;
      state.here = { lat: round(pos.coords.latitude), lon: round(pos.coords.longitude) };
      status.textContent = "";
      navigate(formQuery());
    },
    () => {
      state.here = null;
      $("place").value = "";
      status.textContent = t("locationFailed");
    },
    { maximumAge: 600000, timeout: 15000 },
  );
}

// ---- the results ------------------------------------------------------------------------------

function card(a, f) {
  const point = origin(f);
  const labels = vocabulary("categories");
  const availability = vocabulary("availability");
  const next = a.nextOccurrences[0];
  const place = a.location.online ? t("online") : a.municipality?.name;
  const text = textLanguage(a.text?.title);
  const about = textLanguage(a.text?.description);
  const tags = [
    el("li", { class: a.cost.free ? "tag-free" : "" }, cost(a.cost)),
    el("li", { class: a.availability === "FULL" ? "tag-full" : "" }, availability[a.availability]),
  ];
  if (point && a.location.latitude != null) {
    const km = distanceKm(point, { lat: a.location.latitude, lon: a.location.longitude });
    tags.push(el("li", { class: "distance" }, t("distance", { km: number(km, { maximumFractionDigits: 1 }) })));
  }
  const spoken = a.languages.map((code) => el("li", { lang: code }, spokenLanguages[code] ?? code));
  return el("li", { class: "card" },
    el("div", { lang: text.lang, dir: text.dir },
      el("h3", {}, el("a", { href: activityHref(a.id) }, isolate(a.title))),
      el("p", { class: "excerpt", lang: about.lang, dir: about.dir }, isolate(a.description))),
    el("p", { class: "meta" }, [labels[a.category], place, next ? when(next) : t("noDates")].filter(Boolean).join(" · ")),
    el("ul", { class: "tags" }, ...tags, ...spoken),
  );
}

function activityHref(id) {
  const q = new URLSearchParams(location.search);
  q.set("activity", id);
  return `${location.pathname}?${q}`;
}

async function showResults(append) {
  const f = urlFilters();
  const request = ++state.request;
  document.body.dataset.state = "loading";
  if (!append) {
    state.after = null;
    state.shown = 0;
    $("count").textContent = t("loading");
  }
  try {
    const { filter, orderBy } = apiFilter(f);
    const data = await graphql("FinderActivities", { first: PAGE_SIZE, after: state.after, filter, orderBy });
    if (request !== state.request) return; // a newer request is under way
    showPage(data.activities, f, append);
  } catch (err) {
    if (request !== state.request) return;
    failed(err);
  }
}

/** Shows that loading failed (the details go to the console). */
function failed(err) {
  console.error(err);
  $("count").textContent = t("error");
  document.body.dataset.state = "error";
}

function showPage(conn, f, append) {
  const items = conn.edges.map((e) => card(e.node, f));
  if (append) {
    $("results").append(...items);
    items[0]?.querySelector("a")?.focus();
  } else {
    $("results").replaceChildren(...items);
  }
  state.shown += items.length;
  state.after = conn.pageInfo.endCursor;
  $("more").hidden = !conn.pageInfo.hasNextPage;
  $("count").textContent = conn.totalCount === 0 ? t("none") : countText(conn.totalCount);
  document.body.dataset.state = "ready";
}

// ---- one activity -----------------------------------------------------------------------------

function section(titleKey, ...content) {
  const parts = content.flat().filter((c) => c !== undefined && c !== null && c !== "");
  if (parts.length === 0) return null;
  return el("section", {}, el("h3", {}, t(titleKey)), ...parts);
}

function paragraph(text) {
  return text ? el("p", {}, isolate(text)) : null;
}

/**
 * An activity's text, isolated (bdi): until the API says which language each text came in, a
 * text in another script than the page's keeps its own direction, and its punctuation stays at
 * its end.
 */
function isolate(text) {
  return el("bdi", {}, text);
}

async function showActivity(id) {
  const request = ++state.request;
  document.body.dataset.state = "loading";
  const body = $("activity-body");
  let a;
  try {
    a = (await graphql("FinderActivity", { id })).node;
  } catch (err) {
    console.error(err);
    a = null;
  }
  if (request !== state.request) return;
  if (!a || !a.id) {
    body.replaceChildren(el("h2", { id: "activity-title", tabindex: "-1" }, t("notFound")));
    $("activity-title").focus();
    document.body.dataset.state = "ready";
    return;
  }
  const labels = vocabulary("categories");
  const groups = vocabulary("targetGroups");
  const text = textLanguage(a.text?.title);
  const about = textLanguage(a.text?.description);
  const feed = `/calendar/activities/${encodeURIComponent(a.id)}.ics`;
  const ages = a.minAge != null && a.maxAge != null ? t("ages", { min: number(a.minAge), max: number(a.maxAge) })
    : a.minAge != null ? t("agesFrom", { min: number(a.minAge) })
      : a.maxAge != null ? t("agesTo", { max: number(a.maxAge) }) : "";
  const where = a.location.online
    ? [el("p", {}, t("online")), a.location.onlineUrl ? el("p", {}, el("a", { href: a.location.onlineUrl, rel: "noopener" }, a.location.onlineUrl)) : null]
    : [paragraph([a.location.address, a.location.address?.includes(a.municipality?.name) ? null : a.municipality?.name]
      .filter(Boolean).join(", "))];
  const contact = [
    a.contact.name ? el("p", {}, a.contact.name) : null,
    a.contact.phone ? el("p", { class: "contact" }, el("a", { href: `tel:${a.contact.phone.replace(/\s/g, "")}`, dir: "ltr" }, a.contact.phone)) : null,
    a.contact.email ? el("p", { class: "contact" }, el("a", { href: `mailto:${a.contact.email}`, dir: "ltr" }, a.contact.email)) : null,
  ];
  body.replaceChildren(
    el("div", { lang: text.lang, dir: text.dir },
      el("h2", { id: "activity-title", tabindex: "-1" }, isolate(a.title)),
      a.status === "CANCELLED" ? el("p", {}, el("span", { class: "badge" }, t("cancelled"))) : null,
      el("p", { class: "meta" }, [labels[a.category], vocabulary("availability")[a.availability]].join(" · "))),
    el("div", { lang: about.lang, dir: about.dir }, paragraph(a.description)),
    section("when",
      a.nextOccurrences.length
        ? [el("p", {}, t("nextDates")), el("ul", {}, ...a.nextOccurrences.map((o) => el("li", {}, when(o, true))))]
        : paragraph(t("noDates")),
      a.nextOccurrences.length ? el("p", { class: "calendar" },
        el("a", { class: "primary", href: `webcal://${location.host}${feed}` }, t("calendar")),
        el("a", { href: feed, download: "" }, t("calendarFile"))) : null),
    section("where", where),
    section("organiser", el("p", {}, a.organiser.name),
      a.organiser.website ? el("p", {}, el("a", { href: a.organiser.website, rel: "noopener" }, t("website"))) : null),
    section("cost", el("p", {}, cost(a.cost)), el("div", textLanguage(a.text?.costNote), paragraph(a.text?.costNote?.text ?? a.cost.note))),
    section("forWhom", paragraph([a.targetGroups.map((g) => groups[g]).join(", "), ages].filter(Boolean).join(" · "))),
    section("spokenAt", el("ul", {}, ...a.languages.map((code) => el("li", { lang: code }, spokenLanguages[code] ?? code)))),
    section("accessibility", el("div", textLanguage(a.text?.accessibilityNote), paragraph(a.text?.accessibilityNote?.text ?? a.accessibility))),
    section("howToJoin", el("div", textLanguage(a.text?.applicationProcess), paragraph(a.text?.applicationProcess?.text ?? a.applicationProcess))),
    section("interpretation", el("div", textLanguage(a.text?.interpretationServices), paragraph(a.text?.interpretationServices?.text ?? a.interpretationServices))),
    section("contact", contact),
  );
  // Sections whose text is empty are left out.
  for (const s of body.querySelectorAll("section")) if (!s.querySelector("p, li")) s.remove();
  document.title = `${a.title} · ${t("title")}`;
  $("activity-title").focus();
  document.body.dataset.state = "ready";
}

// ---- navigation -------------------------------------------------------------------------------

function navigate(query) {
  const url = `${location.pathname}${query.size ? `?${query}` : ""}`;
  history.pushState(null, "", url);
  render();
}

function render() {
  updateLanguageLinks();
  const id = new URLSearchParams(location.search).get("activity");
  const f = urlFilters();
  showFilters(f);
  $("finder").hidden = Boolean(id);
  $("results-section").hidden = Boolean(id);
  $("activity").hidden = !id;
  if (id) {
    const list = new URLSearchParams(location.search);
    list.delete("activity");
    $("back").href = `${location.pathname}${list.size ? `?${list}` : ""}`;
    showActivity(id.slice(0, 200));
    return;
  }
  document.title = t("title");
  showResults(false);
}

async function start() {
  const fromPath = pathLanguage();
  state.lang = fromPath ?? savedLanguage() ?? languageOf(document.documentElement.lang) ?? languages[0];
  if (!fromPath) history.replaceState(null, "", `/finder/${state.lang.tag}${location.search}`);
  applyLanguage();
  renderLanguagePicker();
  document.body.dataset.state = "loading";
  let municipalities = [];
  try {
    await loadManifest();
    const [data, labels] = await Promise.all([graphql("FinderMunicipalities"), graphql("FinderVocabulary")]);
    municipalities = data.municipalities.edges.map((e) => e.node);
    state.vocabulary = labels.vocabulary;
  } catch (err) {
    console.error(err);
    $("count").textContent = t("error");
    document.body.dataset.state = "error";
    return;
  }
  fillFilterOptions(municipalities);
  // The filters fold away on a phone, so that the results show on its first screen; they stay
  // open on wider screens and whenever one is in use.
  const f = urlFilters();
  $("more-filters").open = matchMedia("(min-width: 48rem)").matches
    || ["municipality", "category", "language", "from", "until", "place"].some((name) => f[name]);

  $("filters").addEventListener("submit", (e) => {
    e.preventDefault();
    navigate(formQuery());
  });
  for (const name of ["municipality", "category", "language", "from", "until", "radius"]) {
    $(name).addEventListener("change", () => navigate(formQuery()));
  }
  $("place").addEventListener("change", () => {
    $("place-status").textContent = "";
    if ($("place").value === "here") askPosition();
    else navigate(formQuery());
  });
  $("clear").addEventListener("click", () => {
    state.here = null;
    $("place-status").textContent = "";
    navigate(new URLSearchParams());
    $("q").focus();
  });
  $("more").addEventListener("click", () => showResults(true));
  $("back").addEventListener("click", (e) => {
    if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
    e.preventDefault();
    history.pushState(null, "", $("back").getAttribute("href"));
    render();
    $("results-heading").focus();
  });
  $("results").addEventListener("click", (e) => {
    const a = e.target.closest("a[href]");
    if (!a || e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
    e.preventDefault();
    history.pushState(null, "", a.getAttribute("href"));
    render();
  });
  window.addEventListener("popstate", render);
  render();
}

start();

// For the tests and the curious: the documents this page sends.
window.finderDocuments = documents;
