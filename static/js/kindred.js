// Kindred's small enhancements. Every page works without this file; it only makes things smoother.
(function () {
  "use strict";

  // Hearts update in place: the plain form still posts, we just ask for JSON and flip the button.
  // The button keeps the keyboard focus throughout (disabling it would drop focus to the page), and its
  // name starts with the count it shows.
  function heartName(count, hearted, label) {
    return count + (count === 1 ? " heart. " : " hearts. ") +
      (hearted ? "Take back your heart for " : "Send a heart to ") + label;
  }

  function enhanceHeartForm(form) {
    var busy = false;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (busy) { return; }
      busy = true;
      var button = form.querySelector("button");
      var wanted = form.querySelector("input[name=hearted]");
      button.setAttribute("aria-busy", "true");
      fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        headers: { "Accept": "application/json" },
        credentials: "same-origin"
      }).then(function (response) {
        if (!response.ok) { throw new Error("heart failed"); }
        return response.json();
      }).then(function (data) {
        wanted.value = data.hearted ? "0" : "1";
        button.setAttribute("aria-pressed", data.hearted ? "true" : "false");
        button.setAttribute("aria-label", heartName(data.count, data.hearted, button.dataset.label || ""));
        button.querySelector(".heart-icon").textContent = data.hearted ? "\u2665" : "\u2661";
        button.querySelector(".heart-number").textContent = String(data.count);
      }).catch(function () {
        form.submit(); // let the server answer the ordinary way, with a proper page
      }).finally(function () {
        busy = false;
        button.removeAttribute("aria-busy");
      });
    });
  }

  // "Reply" under a reply opens the reply box answering it, without a page load.
  function enhanceReplyLink(link) {
    link.addEventListener("click", function (event) {
      var box = document.querySelector("#reply form");
      if (!box) { return; }
      event.preventDefault();
      var parent = box.querySelector("input[name=parent_id]");
      if (!parent) {
        parent = document.createElement("input");
        parent.type = "hidden";
        parent.name = "parent_id";
        box.appendChild(parent);
      }
      parent.value = link.getAttribute("data-reply-to");
      var textarea = box.querySelector("textarea");
      var author = link.closest("article").querySelector(".byline a");
      var hint = document.getElementById("reply-target");
      if (!hint) {
        hint = document.createElement("p");
        hint.id = "reply-target";
        hint.className = "hint";
        box.insertBefore(hint, box.firstChild.nextSibling);
      }
      hint.textContent = "Answering " + (author ? author.textContent : "a reply") + ".";
      textarea.focus();
    });
  }

  // While a member writes, check the draft quietly and show help under the editor if it signals
  // crisis or distress. Nothing is stored. Without JavaScript the same check happens on submit: a form
  // sent back (no title yet, say) shows the help above it ([data-unsent-care]), a sent one lands on it.
  var CHECK_DELAY_MS = 900;
  var CHECK_MIN_LENGTH = 12;

  function enhanceCrisisCheck(form) {
    var slot = form.querySelector("[data-crisis-slot]");
    var fields = form.querySelectorAll("input[name=title], textarea[name=body]");
    var tokenMeta = document.querySelector("meta[name=csrf-token]");
    if (!slot || !fields.length || !tokenMeta) { return; }
    var timer = null;
    var lastSent = "";
    var inFlight = null;

    function draft() {
      return Array.prototype.map.call(fields, function (f) { return f.value; }).join("\n\n").trim();
    }

    function check() {
      var text = draft();
      if (text === lastSent) { return; }
      lastSent = text;
      if (text.length < CHECK_MIN_LENGTH) { slot.innerHTML = ""; return; }
      if (inFlight) { inFlight.abort(); }
      inFlight = new AbortController();
      fetch(form.getAttribute("data-crisis-check"), {
        method: "POST",
        headers: { "Content-Type": "application/json", "Accept": "application/json",
                   "X-CSRFToken": tokenMeta.getAttribute("content") },
        body: JSON.stringify({ text: text, kind: form.getAttribute("data-crisis-kind") || "post" }),
        credentials: "same-origin",
        signal: inFlight.signal
      }).then(function (response) {
        return response.ok ? response.json() : null;
      }).then(function (data) {
        if (!data) { return; }
        // The card is rendered by the server from the same template as the post page's panel.
        slot.innerHTML = data.card || "";
        slot.classList.toggle("is-showing", Boolean(data.card));
      }).catch(function () { /* offline or aborted: the check on submit still runs */ });
    }

    Array.prototype.forEach.call(fields, function (field) {
      field.addEventListener("input", function () {
        clearTimeout(timer);
        timer = setTimeout(check, CHECK_DELAY_MS);
      });
    });
    // Words already there when the page opens (an edit, words the browser kept) are checked at once, not
    // only once someone types; words the server sent back with their help above the form aren't asked twice.
    if (document.querySelector("[data-unsent-care]")) { lastSent = draft(); } else { check(); }
  }

  // After writing words that signalled distress, the author lands on their help's heading
  // (#help-for-you) and the browser has scrolled there. Focus it too, so a screen reader starts with the
  // help; Chromium does this by itself, other browsers only scroll. Never scroll anywhere else.
  function focusArrivedHelp() {
    if (window.location.hash !== "#help-for-you") { return; }
    var heading = document.getElementById("help-for-you");
    if (heading && document.activeElement !== heading) { heading.focus({ preventScroll: true }); }
  }

  // Drafts: what a member types in the composer or a reply box is kept in this browser as they type, so a
  // failed send, a crash or a closed tab never takes their words. A page the server renders after a form went
  // through names that form's key ([data-submitted]); the draft sent with that key is let go. Back on a form
  // with a kept draft, the member is asked before anything is put back. Signing out here forgets every draft.
  var DRAFT_PREFIX = "kindred-draft:";
  var DRAFT_DAYS = 14;

  function draftStore() {
    try { return window.localStorage; } catch (error) { return null; } // storage switched off
  }

  function readDraft(store, name) {
    try {
      var draft = JSON.parse(store.getItem(name) || "null");
      if (draft && draft.fields && Date.now() - draft.savedAt < DRAFT_DAYS * 86400000) { return draft; }
    } catch (error) { /* unreadable: treat as none */ }
    store.removeItem(name);
    return null;
  }

  function forEachDraft(store, visit) {
    var names = [];
    for (var i = 0; i < store.length; i++) {
      if ((store.key(i) || "").indexOf(DRAFT_PREFIX) === 0) { names.push(store.key(i)); }
    }
    names.forEach(visit);
  }

  function letGoOfSentDrafts(store) {
    document.querySelectorAll("[data-submitted]").forEach(function (marker) {
      var key = marker.getAttribute("data-submitted");
      forEachDraft(store, function (name) {
        var draft = readDraft(store, name);
        if (draft && draft.sentWith === key) { store.removeItem(name); }
      });
    });
  }

  function enhanceDraft(form, store) {
    var name = DRAFT_PREFIX + form.getAttribute("data-draft");
    var fields = form.querySelectorAll("input[type=text], input:not([type]), textarea");
    var keyInput = form.querySelector("input[name=submission_key]");
    var offer = null;

    function values() {
      var found = {};
      Array.prototype.forEach.call(fields, function (f) { if (f.name) { found[f.name] = f.value; } });
      return found;
    }

    function isBlank(found) {
      return Object.keys(found).every(function (key) { return !found[key].trim(); });
    }

    function sameAsForm(draft) {
      var now = values();
      return Object.keys(draft.fields).every(function (key) { return (now[key] || "") === draft.fields[key]; });
    }

    function save(sentWith) {
      if (offer) { return; } // a kept draft waits for the member's answer; nothing overwrites it meanwhile
      var found = values();
      if (isBlank(found)) { store.removeItem(name); return; }
      try {
        store.setItem(name, JSON.stringify({ fields: found, savedAt: Date.now(), sentWith: sentWith || null }));
      } catch (error) { /* storage full: the form itself still holds the words */ }
    }

    function closeOffer() {
      offer.parentNode.removeChild(offer);
      offer = null;
    }

    function button(text, act) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = "button";
      b.textContent = text;
      b.addEventListener("click", act);
      return b;
    }

    var kept = readDraft(store, name);
    if (kept && !isBlank(kept.fields) && !sameAsForm(kept)) {
      offer = document.createElement("div");
      offer.className = "draft-offer";
      offer.setAttribute("role", "status");
      var words = document.createElement("p");
      words.textContent = "We kept what you were writing \u2014 restore it?";
      var restore = button("Restore", function () {
        Array.prototype.forEach.call(fields, function (f) {
          if (Object.prototype.hasOwnProperty.call(kept.fields, f.name)) { f.value = kept.fields[f.name]; }
        });
        closeOffer();
        var body = form.querySelector("textarea");
        if (body) { body.focus(); }
        save();
      });
      restore.classList.add("button-primary");
      var discard = button("Discard", function () {
        store.removeItem(name);
        closeOffer();
        save();
      });
      offer.appendChild(words);
      offer.appendChild(restore);
      offer.appendChild(discard);
      form.parentNode.insertBefore(offer, form);
    }

    Array.prototype.forEach.call(fields, function (field) {
      field.addEventListener("input", function () { save(); });
    });
    form.addEventListener("submit", function () {
      save(keyInput ? keyInput.value : null);
    });
  }

  function enhanceDrafts() {
    var store = draftStore();
    if (!store) { return; }
    letGoOfSentDrafts(store);
    document.querySelectorAll("form[data-draft]").forEach(function (form) { enhanceDraft(form, store); });
    // Every form that signs out (here, everywhere, or by deleting the account) carries data-forgets-drafts:
    // a shared computer must not keep one member's words for the next person at it.
    document.querySelectorAll("form[data-forgets-drafts]").forEach(function (form) {
      form.addEventListener("submit", function () {
        forEachDraft(store, function (name) { store.removeItem(name); });
      });
    });
  }

  // The phone header's menu is a <details> and works without this. With it, Escape closes the menu and puts
  // the focus back on its button, and a tap anywhere outside closes it, as people expect of a menu.
  function enhanceSiteMenu(menu) {
    var summary = menu.querySelector("summary");
    menu.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && menu.open) {
        menu.open = false;
        summary.focus();
      }
    });
    document.addEventListener("click", function (event) {
      if (menu.open && !menu.contains(event.target)) { menu.open = false; }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("details.site-menu").forEach(enhanceSiteMenu);
    focusArrivedHelp();
    enhanceDrafts();
    document.querySelectorAll("form[data-crisis-check]").forEach(enhanceCrisisCheck);
    document.querySelectorAll("form[data-heart]").forEach(enhanceHeartForm);
    document.querySelectorAll("a[data-reply-to]").forEach(enhanceReplyLink);
  });
})();
