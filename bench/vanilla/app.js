// The practical lower bound for the console's Customers and Subscriptions tables: the same rows
// from the same data set (as JSON), the same search, sort, page size and detail, written by hand
// with plain DOM calls and no framework. The benchmark drives it exactly as it drives the console.
"use strict";

const CUSTOMERS_PAGE = 20;
const SUBSCRIPTIONS_PAGE = 25;
let customers = [];
let subscriptions = [];
const byCustomer = new Map();
const list = { q: "", status: "", sort: "", desc: false, page: 1 };
let route = { view: "settings" };

const main = () => document.getElementById("main");
// Properties for the few that are properties; everything else is an attribute.
const PROPERTIES = new Set(["className", "value", "disabled", "checked", "selected", "maxLength"]);
const el = (tag, props = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (PROPERTIES.has(k)) node[k] = v;
    else node.setAttribute(k, v);
  }
  for (const c of children) node.append(c);
  return node;
};
const compare = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

function go(next) {
  route = next;
  Object.assign(list, { q: "", status: "", sort: "", desc: false, page: 1 });
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
  const turn = (to, label, off) => {
    const button = el("button", { type: "button", disabled: off }, label);
    button.addEventListener("click", () => { list.page = to; renderTable(); });
    return button;
  };
  return el("div", {}, el("nav", { className: "pager", "aria-label": "Pages" }, turn(page - 1, "‹ Previous", page <= 1),
    el("span", { className: "pager__position", "data-testid": "page-position" }, `Page ${page.toLocaleString("en-US")} of ${pages.toLocaleString("en-US")} · ${total.toLocaleString("en-US")} ${noun}`),
    turn(page + 1, "Next ›", page >= pages)));
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
  const all = byCustomer.get(customer.id) ?? [];
  const mine = list.status ? all.filter((s) => s.statusKey === list.status) : all;
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
    const status = el("td", {}, badge(s));
    if (s.pending) status.append(publisherLink(s));
    body.append(el("tr", { "data-testid": "subscription-row" },
      el("td", {}, link), el("td", {}, s.offer, el("span", { className: "muted" }, ` · ${s.plan}`)), el("td", {}, s.publisher),
      el("td", { className: "num" }, String(s.quantity)), status,
      el("td", {}, s.termAndBilling), el("td", {}, s.renewsOrEnds), el("td", {}, s.reseller)));
  }
  const head = el("tr", {}, sortHeader("nickname", "Subscription", "sort-nickname"), sortHeader("offer", "Offer", "sort-offer"),
    el("th", { scope: "col" }, "Publisher"), sortHeader("quantity", "Quantity", "sort-quantity"), sortHeader("status", "Status", "sort-status"),
    el("th", { scope: "col" }, "Term and billing"), sortHeader("ends", "Renews or ends on", "sort-ends"), el("th", { scope: "col" }, "Reseller"));
  return el("div", { id: "table" }, el("div", { className: "table-wrap" }, el("table", { className: "data-table", "data-testid": "subscriptions-table" }, el("thead", {}, head), body)),
    el("p", { id: "link-feedback", className: "feedback", "aria-live": "polite" }),
    el("div", {}, ...(rows.length ? [] : [el("p", { className: "empty" }, "No subscriptions match. Add one with Add subscription.")])),
    el("div", {}, ...(pages > 1 ? [pager(page, pages, rows.length, "subscriptions")] : [])));
}

// The detail page as the console shows it, element for element: the title, the facts, the
// publisher's setup while the subscription is pending, a card per action (its form, enabled or
// disabled with the engine's reason), the charges and the latest activity.
const sep = () => el("span", { "aria-hidden": "true" }, " / ");
const feedback = (id) => el("p", { id, className: "feedback", "aria-live": "polite", "data-testid": "feedback" });
const blockedReason = (id, reason) =>
  reason ? [el("p", { className: "blocked", id, "data-testid": "blocked-reason" }, el("span", { className: "blocked__label" }, "Not available: "), reason)] : [];
const badge = (s) => el("span", { className: `status-badge status-badge--${s.statusKey}` }, s.status);
const publisherLink = (s) => el("span", { className: "publisher-link" }, s.publisherLink
  ? el("a", { href: s.publisherLink, target: "_blank", rel: "noopener", "data-testid": "go-to-publisher" }, "Go to publisher's site")
  : el("button", { type: "button", className: "link-button", "data-testid": "fresh-link" }, "Get a fresh link to the publisher's site"));
const options = (choices, chosen) => choices.map(([value, label]) => el("option", { value, selected: value === chosen }, label));

function card(name, title, reason, ...controls) {
  return el("section", { className: "card", "data-testid": `${name}-card`, "aria-label": title },
    el("div", {}, el("h2", {}, title), ...controls, ...blockedReason(`${name}-blocked`, reason)), feedback(`${name}-feedback`));
}

function cards(s, blocked) {
  const off = (action) => blocked[action] != null;
  const described = (name) => ({ "aria-describedby": `${name}-feedback ${name}-blocked` });
  return el("div", { className: "cards" },
    card("nickname", "Nickname", blocked.Rename,
      el("form", { className: "inline-form" }, el("label", { for: "nickname-input" }, "Subscription nickname"),
        el("input", { id: "nickname-input", type: "text", maxLength: 200, value: s.nickname, disabled: off("Rename"), ...described("nickname") }),
        el("button", { type: "submit", disabled: off("Rename") }, "Save"))),
    card("quantity", "Quantity", blocked.ChangeQuantity,
      el("p", { className: "hint" }, "Increase or decrease the number of licenses. Changes are prorated for the rest of the billing period."),
      el("form", { className: "inline-form" }, el("label", { for: "quantity-input" }, "Quantity"),
        el("input", { id: "quantity-input", type: "text", inputmode: "numeric", value: String(s.quantity), disabled: off("ChangeQuantity"), "aria-describedby": "quantity-bounds quantity-feedback quantity-blocked" }),
        el("button", { type: "submit", disabled: off("ChangeQuantity") }, "Submit")),
      el("p", { className: "hint", id: "quantity-bounds" }, `${s.minQuantity} to ${s.maxQuantity} licenses for ${s.plan}`)),
    card("auto-renew", "Auto-renew", blocked.SetAutoRenew,
      el("label", { className: "checkbox" }, el("input", { type: "checkbox", checked: s.autoRenew, disabled: off("SetAutoRenew"), ...described("auto-renew") }), "Renew automatically at term end"),
      el("p", { className: "hint" }, s.autoRenew ? "When the term ends, a new term starts and is charged." : "When the term ends, the subscription expires.")),
    card("reseller", "Indirect reseller", blocked.SetReseller,
      el("form", { className: "inline-form" }, el("label", { for: "reseller-input" }, "Indirect reseller PartnerID"),
        el("input", { id: "reseller-input", type: "text", inputmode: "numeric", list: "resellers", value: s.resellerId, disabled: off("SetReseller"), ...described("reseller") }),
        el("datalist", { id: "resellers" }, ...options(s.resellers, null)),
        el("button", { type: "submit", disabled: off("SetReseller") }, "Save"),
        el("button", { type: "button", disabled: off("SetReseller") || !s.resellerId }, "Clear"))),
    card("cancel", "Cancel subscription", blocked.Cancel,
      el("p", { className: "hint" }, "You can cancel during the cancellation period, which depends on the term."),
      el("button", { type: "button", className: "button--danger", disabled: off("Cancel"), "aria-describedby": "cancel-blocked" }, "Cancel subscription")),
    card("next-term", "Other actions: next term", blocked.ScheduleChange,
      el("p", { className: "hint" }, "Change the billing frequency or the plan from the next term. The change applies at renewal and can be withdrawn until then."),
      el("form", { className: "inline-form" }, el("label", { for: "next-plan" }, "Plan"),
        el("select", { id: "next-plan", disabled: off("ScheduleChange") }, ...options(s.plans, s.planId)),
        el("label", { for: "next-billing" }, "Billing frequency"),
        el("select", { id: "next-billing", disabled: off("ScheduleChange") }, ...options(s.billings, s.billingKey)),
        el("button", { type: "submit", disabled: off("ScheduleChange") }, "Schedule change"))));
}

function actionNeeded(s, blocked) {
  const tasks = el("ul", { className: "checklist" }, ...s.tasks.map((t) =>
    el("li", {}, el("label", {}, el("input", { type: "checkbox", checked: t.done, disabled: blocked.RecordSetupTask != null, "aria-describedby": "setup-feedback setup-blocked" }), t.label))));
  return el("section", { className: "card card--attention", "aria-labelledby": "action-needed-title", "data-testid": "action-needed" },
    el("h2", { id: "action-needed-title" }, "Action needed: set up the subscription with the publisher"),
    el("p", {}, "The publisher provides a personalized link and an authorization code that identifies this purchase. Billing starts only after the publisher assigns licenses and confirms the setup."),
    el("p", { className: "actions-row" }, publisherLink(s), " ", el("button", { type: "button", "aria-describedby": "copy-feedback" }, "Copy activation link")),
    feedback("copy-feedback"),
    el("div", {}, el("h3", {}, "Your tasks as the CSP partner"), tasks, ...blockedReason("setup-blocked", blocked.RecordSetupTask)),
    feedback("setup-feedback"));
}

function table(testid, columns, rows) {
  const head = el("tr");
  for (const c of columns) head.append(el("th", { scope: "col" }, c));
  const body = el("tbody");
  for (const r of rows) {
    const tr = el("tr", { "data-testid": testid });
    for (const v of r) tr.append(el("td", {}, String(v)));
    body.append(tr);
  }
  return el("table", { className: "data-table" }, el("thead", {}, head), body);
}

function detail(customer, s) {
  const blocked = Object.fromEntries(s.actions.map((a) => [a.action, a.blocked]));
  const facts = el("dl", { className: "facts" });
  for (const [label, testid, value] of [["Offer", "offer", s.offer], ["Plan", "plan", s.plan], ["Publisher", "publisher", s.publisher],
    ["Quantity", "quantity", `${s.quantity} licenses`], ["Term and billing", "term", s.termAndBilling],
    ["Price", "price", `${s.unitPrice} per license per ${s.pricePer}`], ["Start date", "start", s.started ?? "At activation"],
    ["Renews or ends on", "renewal", s.renewsOrEnds],
    ["Cancellation allowed until", "window", s.pending ? "Any time before activation (nothing is billed yet)" : s.cancellableUntil ?? "—"],
    ["Auto-renew", "auto-renew", s.autoRenew ? "On" : "Off"], ["Subscription ID", "id", s.id], ["Order ID", "order", s.orderId],
    ["Catalog item ID", "item", s.item], ["Customer", "customer", `${customer.companyName} (${customer.domain})`]]) {
    facts.append(el("div", { className: "fact" }, el("dt", {}, label), el("dd", { "data-testid": `fact-${testid}` }, value)));
  }
  const charges = s.charges.map((c) => [c.posted, c.type, c.period, c.quantity, c.amount, c.invoice]);
  const activity = s.activity.map((e) => [e.when, e.who, e.operation, e.change, e.result]);
  return [
    el("div", {},
      el("nav", { className: "breadcrumbs", "aria-label": "Breadcrumb" }, el("a", { href: "#/customers" }, "Customers"), sep(),
        el("a", { href: `#/customers/${customer.id}` }, customer.companyName), sep(), el("span", {}, "Subscription")),
      el("h1", { "data-testid": "subscription-title" }, s.nickname, " ", badge(s))),
    el("section", { className: "card", "aria-labelledby": "facts-title" }, el("h2", { id: "facts-title" }, "Subscription details"), facts),
    el("div", {}, ...(s.pending ? [actionNeeded(s, blocked)] : [])),
    cards(s, blocked),
    el("section", { className: "card", "aria-labelledby": "charges-title" }, el("h2", { id: "charges-title" }, "Charges"),
      el("div", {}, charges.length
        ? el("div", { className: "table-wrap" }, table("charge-row", ["Posted", "Charge type", "Period", "Quantity", "Amount", "Invoice"], charges))
        : el("p", { className: "empty" }, "Nothing has been charged: billing starts when the publisher activates the subscription."))),
    el("section", { className: "card", "aria-labelledby": "activity-title" }, el("h2", { id: "activity-title" }, "This subscription's activity"),
      el("div", { className: "table-wrap" }, table("activity-row", ["When", "Who", "Operation", "Change", "Result"], activity)),
      el("p", {}, el("a", { href: `#/activity?subscription=${s.id}` }, "Open in the activity log"))),
  ];
}

// The status filter: a button per status, the one chosen pressed.
const STATUSES = [["", "All statuses"], ["action-needed", "Action needed"], ["active", "Active"], ["suspended", "Suspended"], ["cancelled", "Cancelled"], ["expired", "Expired"]];
function statusFilter() {
  const group = el("div", { className: "segmented", role: "group", "aria-labelledby": "status-filter-label" });
  for (const [value, label] of STATUSES) {
    const button = el("button", { type: "button", "aria-pressed": String(list.status === value) }, label);
    button.addEventListener("click", () => { list.status = value; list.page = 1; render(); });
    group.append(button);
  }
  return el("div", { className: "filter" }, el("span", { id: "status-filter-label" }, "Status"), group);
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
    const c = route.customer;
    parts.push(el("nav", { className: "breadcrumbs", "aria-label": "Breadcrumb" }, el("a", { href: "#/customers" }, "Customers"), sep(), el("span", {}, c.companyName)),
      el("h1", {}, c.companyName, el("span", { className: "subtitle" }, " · Subscriptions")),
      el("p", { className: "hint" }, "Any license-based subscriptions you've purchased for the customer are displayed."),
      el("div", { className: "toolbar" }, searchBox("subscription-search", "Search by nickname, offer, publisher or ID"), statusFilter(),
        el("button", { type: "button" }, "Export subscriptions"), el("span"),
        el("a", { className: "button button--primary", href: `#/customers/${c.id}/purchase` }, "Add subscription")),
      subscriptionTable(c));
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
