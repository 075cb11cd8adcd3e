// Rostrum's progressive enhancement: every page works without this file. It adds copying
// links, the current-section highlight, a sidebar that keeps its scroll, keyboard shortcuts
// and live filtering.
(() => {
  "use strict";
  const body = document.body;
  const shareBase = body.dataset.shareBase || location.origin;

  // Copy links: the URL a colleague can open (the LAN address when the server listens there).
  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    const area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "visually-hidden";
    document.body.append(area);
    area.select();
    const copied = document.execCommand("copy");
    area.remove();
    return copied ? Promise.resolve() : Promise.reject(new Error("copy refused"));
  }

  function toast(message) {
    const note = document.createElement("div");
    note.className = "toast";
    note.setAttribute("role", "status");
    note.textContent = message;
    document.body.append(note);
    setTimeout(() => note.remove(), 1800);
  }

  document.addEventListener("click", (event) => {
    const link = event.target.closest("a[data-copy]");
    if (!link) return;
    const url = shareBase + location.pathname + location.search + link.hash;
    copyText(url).then(() => toast(body.dataset.copied + " · " + url), () => {});
  });

  // Copy quotation: the server words the quotation and its source (the same text as the
  // quotation page the link opens without this script).
  document.addEventListener("click", (event) => {
    const link = event.target.closest("a[data-quote]");
    if (!link) return;
    event.preventDefault();
    const asText = new URL(link.href);
    asText.searchParams.set("format", "text");
    fetch(asText)
      .then((answer) => (answer.ok ? answer.text() : Promise.reject(new Error(answer.statusText))))
      .then((quotation) => copyText(quotation))
      .then(() => toast(body.dataset.quoteCopied), () => { location.href = link.href; });
  });

  // The outline: highlight the section being read, keep the sidebar's own scroll position.
  const outline = document.querySelector(".outline");
  const headings = Array.from(document.querySelectorAll(".section-heading"));
  const outlineLinks = new Map();
  if (outline) {
    outline.querySelectorAll("a[href^='#']").forEach((a) => outlineLinks.set(a.hash.slice(1), a));
    const box = outline.querySelector("details");
    const narrow = window.matchMedia("(max-width: 56rem)");
    if (box && narrow.matches) box.open = false;
    outline.addEventListener("click", (event) => {
      if (event.target.closest("a") && box && narrow.matches) box.open = false;
    });
    // The phone's outline button opens the outline it leads to.
    document.querySelector(".to-outline")?.addEventListener("click", () => {
      if (box) box.open = true;
    });
    const key = "rostrum:outline:" + location.pathname;
    const saved = sessionStorage.getItem(key);
    if (saved) outline.scrollTop = Number(saved);
    outline.addEventListener("scroll", () => sessionStorage.setItem(key, String(outline.scrollTop)), { passive: true });
  }

  // The section being read: the one the URL names while its heading is on screen (near the end
  // of the page a heading cannot scroll to the top), else the last heading above the upper quarter.
  function currentIndex() {
    const named = headings.findIndex((h) => "#" + h.id === location.hash);
    if (named >= 0) {
      const box = headings[named].getBoundingClientRect();
      if (box.top >= 0 && box.bottom <= window.innerHeight) return named;
    }
    let current = -1;
    for (let i = 0; i < headings.length; i++) {
      if (headings[i].getBoundingClientRect().top <= window.innerHeight * 0.25) current = i;
      else break;
    }
    return current;
  }

  function highlight() {
    const index = currentIndex();
    const id = index >= 0 ? headings[index].id : "top";
    outlineLinks.forEach((a, target) => {
      if (target === id) {
        if (!a.hasAttribute("aria-current")) a.setAttribute("aria-current", "location");
        // Keep the entry in the sidebar's view, a third of the way down when it has to move.
        const link = a.getBoundingClientRect();
        const box = outline.getBoundingClientRect();
        if (link.top < box.top || link.bottom > box.bottom) {
          outline.scrollTop += link.top - box.top - outline.clientHeight / 3;
        }
      } else {
        a.removeAttribute("aria-current");
      }
    });
  }

  if (outlineLinks.size) {
    let pending = false;
    window.addEventListener("scroll", () => {
      if (pending) return;
      pending = true;
      requestAnimationFrame(() => { pending = false; highlight(); });
    }, { passive: true });
    window.addEventListener("hashchange", highlight);
    highlight();
  }

  // Keyboard: ← → previous/next section, / focuses the filter or search box.
  function goToSection(step) {
    const pagerLink = document.querySelector(`.pager a[rel="${step < 0 ? "prev" : "next"}"]`);
    if (!headings.length || document.querySelector(".section-alone")) {
      if (pagerLink) location.href = pagerLink.href;
      return;
    }
    const target = headings[Math.min(Math.max(currentIndex() + step, 0), headings.length - 1)];
    if (target) location.hash = target.id;
  }

  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.target.closest("input, textarea, select, [contenteditable]")) return;
    if (event.key === "/") {
      // The page's own box (the collection filter, the search form) before the header's.
      const box = ["input[data-filter]", "#search-query", "input[data-search-box]"]
        .map((selector) => document.querySelector(selector))
        .find(Boolean);
      if (box) {
        event.preventDefault();
        box.focus();
        box.select();
      }
    } else if (event.key === "ArrowLeft" || event.key === "ArrowRight") {
      event.preventDefault();
      goToSection(event.key === "ArrowLeft" ? -1 : 1);
    }
  });

  // The collection filter answers as you type; the form still works without this.
  const filter = document.querySelector("input[data-filter]");
  const cards = Array.from(document.querySelectorAll("[data-filter-text]"));
  if (filter && cards.length) {
    filter.addEventListener("input", () => {
      const needle = filter.value.trim().toLowerCase();
      cards.forEach((card) => {
        card.hidden = needle !== "" && !card.dataset.filterText.toLowerCase().includes(needle);
      });
    });
  }

  // A quiet notice when the speech on the page (or, on the collection page, any speech) has
  // changed on disk; the server announces changes as Server-Sent Events.
  const notice = document.querySelector(".live-notice[data-live]");
  if (notice && window.EventSource) {
    const wanted = notice.dataset.live;
    const events = new EventSource("/events");
    events.addEventListener("open", () => { notice.dataset.listening = "yes"; });
    events.addEventListener("changed", (event) => {
      const changed = JSON.parse(event.data);
      if (changed.everything || wanted === "" || changed.speeches.includes(wanted)) {
        notice.hidden = false;
        events.close();
      }
    });
    window.addEventListener("pagehide", () => events.close());
  }
})();
