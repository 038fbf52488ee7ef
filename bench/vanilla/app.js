// The practical lower bound for the console's Customers and Subscriptions tables: the same rows
// from the same data set (as JSON), the same search, sort, page size and detail, written by hand
// with plain DOM calls and no framework. The benchmark drives it exactly as it drives the console.
"use strict";

const CUSTOMERS_PAGE = 20;
const SUBSCRIPTIONS_PAGE = 25;
let customers = [];
let subscriptions = [];
const byCustomer = new Map();
const list = { q: "", sort: "", desc: false, page: 1 };
let route = { view: "settings" };

const main = () => document.getElementById("main");
const el = (tag, props = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k.startsWith("data-") || k === "href" || k === "scope" || k === "aria-sort") node.setAttribute(k, v);
    else node[k] = v;
  }
  for (const c of children) node.append(c);
  return node;
};
const compare = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

function go(next) {
  route = next;
  Object.assign(list, { q: "", sort: "", desc: false, page: 1 });
  render();
}

function sortHeader(key, label, testid) {
  const th = el("th", { scope: "col", "aria-sort": list.sort === key ? (list.desc ? "descending" : "ascending") : "none" });
  const button = el("button", { type: "button", className: "sort-button", "data-testid": testid }, label);
  button.addEventListener("click", () => {
    list.desc = list.sort === key ? !list.desc : false;
    list.sort = key;
    list.page = 1;
    render();
  });
  th.append(button);
  return th;
}

function searchBox(testid, label) {
  const input = el("input", { type: "search", value: list.q, "data-testid": testid });
  input.addEventListener("input", () => {
    list.q = input.value;
    list.page = 1;
    renderTable();
  });
  return el("label", { className: "search" }, el("span", {}, label), input);
}

function pager(page, pages, total, noun) {
  return el("nav", { className: "pager" }, el("span", { "data-testid": "page-position" }, `Page ${page.toLocaleString("en-US")} of ${pages.toLocaleString("en-US")} · ${total.toLocaleString("en-US")} ${noun}`));
}

// --- Customers --------------------------------------------------------------------------------

const customerSorts = {
  "": (a, b) => compare(a.nameLower, b.nameLower) || compare(a.id, b.id),
  domain: (a, b) => compare(a.domain, b.domain) || compare(a.id, b.id),
  subscriptions: (a, b) => a.subscriptions - b.subscriptions,
};

function customerRows() {
  const needle = list.q.trim().toLowerCase();
  const rows = needle ? customers.filter((c) => c.nameLower.includes(needle) || c.domainLower.includes(needle)) : customers.slice();
  const order = customerSorts[list.sort];
  const byName = customerSorts[""];
  // Customers with as many subscriptions stay in name order, whichever way the count is sorted.
  if (list.sort === "subscriptions") rows.sort(list.desc ? (a, b) => order(b, a) || byName(a, b) : (a, b) => order(a, b) || byName(a, b));
  else rows.sort(list.desc ? (a, b) => order(b, a) : order);
  return rows;
}

function customerTable() {
  const rows = customerRows();
  const pages = Math.max(1, Math.ceil(rows.length / CUSTOMERS_PAGE));
  const page = Math.min(list.page, pages);
  const body = el("tbody");
  for (const c of rows.slice((page - 1) * CUSTOMERS_PAGE, page * CUSTOMERS_PAGE)) {
    const link = el("a", { href: `#/customers/${c.id}` }, c.companyName);
    link.addEventListener("click", (e) => { e.preventDefault(); go({ view: "subscriptions", customer: c }); });
    const tags = el("td");
    for (const t of c.tags) tags.append(el("span", { className: "tag" }, t));
    body.append(el("tr", { "data-testid": "customer-row" },
      el("td", {}, link), el("td", {}, c.domain), el("td", { className: "mono" }, c.id),
      el("td", {}, c.relationship), tags, el("td", { className: "num" }, c.subscriptions.toLocaleString("en-US"))));
  }
  const head = el("tr", {}, sortHeader("", "Company name", "sort-name"), sortHeader("domain", "Primary domain", "sort-domain"),
    el("th", { scope: "col" }, "Microsoft ID"), el("th", { scope: "col" }, "Relationship"), el("th", { scope: "col" }, "Tags"),
    sortHeader("subscriptions", "Subscriptions", "sort-subscriptions"));
  return el("div", { id: "table" }, el("div", { className: "table-wrap" }, el("table", { className: "data-table", "data-testid": "customers-table" }, el("thead", {}, head), body)),
    pager(page, pages, rows.length, "customers"));
}

// --- Subscriptions ----------------------------------------------------------------------------

const subscriptionSorts = {
  "": (a, b) => b.created - a.created || compare(b.id, a.id),
  nickname: (a, b) => compare(a.nicknameLower, b.nicknameLower),
  offer: (a, b) => compare(a.offerLower, b.offerLower) || compare(a.plan.toLowerCase(), b.plan.toLowerCase()),
  quantity: (a, b) => a.quantity - b.quantity,
  status: (a, b) => a.statusOrder - b.statusOrder,
  ends: (a, b) => (a.termEnd ?? Infinity) - (b.termEnd ?? Infinity),
};

function subscriptionRows(customer) {
  const needle = list.q.trim().toLowerCase();
  const mine = byCustomer.get(customer.id) ?? [];
  const rows = needle
    ? mine.filter((s) => s.nicknameLower.includes(needle) || s.offerLower.includes(needle) || s.plan.toLowerCase().includes(needle) || s.publisher.toLowerCase().includes(needle) || s.id.includes(needle))
    : mine.slice();
  const order = subscriptionSorts[list.sort];
  const newest = subscriptionSorts[""];
  // Subscriptions that tie stay newest first, whichever way the column is sorted.
  rows.sort(list.desc ? (a, b) => order(b, a) || newest(a, b) : (a, b) => order(a, b) || newest(a, b));
  return rows;
}

function subscriptionTable(customer) {
  const rows = subscriptionRows(customer);
  const pages = Math.max(1, Math.ceil(rows.length / SUBSCRIPTIONS_PAGE));
  const page = Math.min(list.page, pages);
  const body = el("tbody");
  for (const s of rows.slice((page - 1) * SUBSCRIPTIONS_PAGE, page * SUBSCRIPTIONS_PAGE)) {
    const link = el("a", { href: `#/subscriptions/${s.id}` }, s.nickname);
    link.addEventListener("click", (e) => { e.preventDefault(); go({ view: "detail", customer, subscription: s }); });
    const status = el("td", {}, el("span", { className: `status-badge status-badge--${s.statusKey}` }, s.status));
    if (s.pending) {
      status.append(el("span", { className: "publisher-link" }, s.publisherLink
        ? el("a", { href: s.publisherLink, target: "_blank", rel: "noopener" }, "Go to publisher's site")
        : el("button", { type: "button", className: "link-button" }, "Get a fresh link to the publisher's site")));
    }
    body.append(el("tr", { "data-testid": "subscription-row" },
      el("td", {}, link), el("td", {}, s.offer, el("span", { className: "muted" }, ` · ${s.plan}`)), el("td", {}, s.publisher),
      el("td", { className: "num" }, String(s.quantity)), status,
      el("td", {}, s.termAndBilling), el("td", {}, s.renewsOrEnds), el("td", {}, s.reseller)));
  }
  const head = el("tr", {}, sortHeader("nickname", "Subscription", "sort-nickname"), sortHeader("offer", "Offer", "sort-offer"),
    el("th", { scope: "col" }, "Publisher"), sortHeader("quantity", "Quantity", "sort-quantity"), sortHeader("status", "Status", "sort-status"),
    el("th", { scope: "col" }, "Term and billing"), sortHeader("ends", "Renews or ends on", "sort-ends"), el("th", { scope: "col" }, "Reseller"));
  return el("div", { id: "table" }, el("div", { className: "table-wrap" }, el("table", { className: "data-table", "data-testid": "subscriptions-table" }, el("thead", {}, head), body)),
    pager(page, pages, rows.length, "subscriptions"));
}

// The detail page as the console shows it: the facts, a card per action (its form, enabled or
// disabled with the reason), the charges and the latest activity.
function table(testid, columns, rows) {
  const head = el("tr");
  for (const c of columns) head.append(el("th", { scope: "col" }, c));
  const body = el("tbody");
  for (const r of rows) {
    const tr = el("tr", { "data-testid": testid });
    for (const v of r) tr.append(el("td", {}, String(v)));
    body.append(tr);
  }
  return el("div", { className: "table-wrap" }, el("table", { className: "data-table" }, el("thead", {}, head), body));
}

function detail(customer, s) {
  const facts = el("dl", { className: "facts", "data-testid": "subscription-facts" });
  for (const [k, v] of [["Offer", s.offer], ["Plan", s.plan], ["Publisher", s.publisher], ["Status", s.status], ["Quantity", String(s.quantity)],
    ["Term and billing", s.termAndBilling], ["Renews or ends on", s.renewsOrEnds], ["Auto-renew", s.autoRenew ? "On" : "Off"],
    ["Unit price", s.unitPrice], ["Reseller", s.reseller], ["Cancellable until", s.cancellableUntil ?? "—"], ["Subscription ID", s.id]]) {
    facts.append(el("dt", {}, k), el("dd", {}, v));
  }
  const cards = s.actions.map((a) => {
    const input = el("input", { type: "text", disabled: a.blocked !== null });
    const button = el("button", { type: "submit", disabled: a.blocked !== null }, "Save");
    const card = el("section", { className: "card" }, el("h2", {}, a.action), el("form", {}, input, button));
    if (a.blocked) card.append(el("p", { className: "blocked" }, a.blocked));
    return card;
  });
  const charges = s.charges.map((c) => [c.posted, c.type, c.period, c.quantity, c.amount, c.invoice]);
  const activity = s.activity.map((e) => [e.when, e.who, e.operation, e.change, e.result]);
  return [
    el("nav", { className: "breadcrumbs" }, customer.companyName),
    el("h1", { "data-testid": "subscription-title" }, s.nickname, " ", el("span", { className: "badge" }, s.status)),
    el("section", { className: "card" }, facts),
    ...cards,
    el("section", { className: "card" }, el("h2", {}, "Charges"),
      charges.length ? table("charge-row", ["Posted", "Charge type", "Period", "Quantity", "Amount", "Invoice"], charges) : el("p", { className: "empty" }, "Nothing has been charged.")),
    el("section", { className: "card" }, el("h2", {}, "This subscription's activity"), table("activity-row", ["When", "Who", "Operation", "Change", "Result"], activity)),
  ];
}

// --- Pages ------------------------------------------------------------------------------------

function renderTable() {
  const table = route.view === "customers" ? customerTable() : subscriptionTable(route.customer);
  document.getElementById("table").replaceWith(table);
}

function render() {
  const parts = [];
  if (route.view === "customers") {
    parts.push(el("h1", {}, "Customers"), el("div", { className: "toolbar" }, searchBox("customer-search", "Search by company name or domain")), customerTable());
  } else if (route.view === "subscriptions") {
    parts.push(el("h1", {}, route.customer.companyName, " · Subscriptions"),
      el("div", { className: "toolbar" }, searchBox("subscription-search", "Search by nickname, offer, publisher or ID")), subscriptionTable(route.customer));
  } else if (route.view === "detail") {
    parts.push(...detail(route.customer, route.subscription));
  } else {
    parts.push(el("h1", {}, "Settings"), el("p", { "data-testid": "ready" }, `${customers.length} customers, ${subscriptions.length} subscriptions loaded.`));
  }
  main().replaceChildren(...parts);
}

for (const link of document.querySelectorAll("[data-nav]")) {
  link.addEventListener("click", (e) => { e.preventDefault(); go({ view: link.dataset.nav }); });
}

Promise.all(["data/customers.json", "data/subscriptions.json"].map((u) => fetch(u).then((r) => r.json()))).then(([c, s]) => {
  customers = c.map((x) => ({ ...x, nameLower: x.companyName.toLowerCase(), domainLower: x.domain.toLowerCase() }));
  subscriptions = s.map((x) => ({ ...x, nicknameLower: x.nickname.toLowerCase(), offerLower: x.offer.toLowerCase() }));
  for (const sub of subscriptions) {
    if (!byCustomer.has(sub.customer)) byCustomer.set(sub.customer, []);
    byCustomer.get(sub.customer).push(sub);
  }
  render();
});
