/* The notification bell: new notifications over the notifications stream (a LiveStream of
 * live.js, loaded before this file), and read state kept in step across tabs.
 *
 * Read state across tabs (BroadcastChannel, no polling): a tab that marked notifications read
 * (the forms of the notifications page post, then the page reloads) tells the others, on its
 * next page, the server's unread count and the newest id that count covers; each other tab shows
 * that count plus the notifications its own stream brought since, and a notifications page
 * reloads its list from the server (the same markup).
 */
(function () {
  "use strict";
  var READ_SENT = "zhiyi.notificationsRead";  // sessionStorage: this tab has just marked some read
  var READ_ACTION = /^\/notifications\/(\d+\/read|read-all)\/$/;
  var BELL = window.ZhiYi.readJson("bell-texts", {});

  function initBell(bell) {
    var badge = document.getElementById("bell-count");
    var lastId = parseInt(bell.getAttribute("data-last-id") || "0", 10);
    var seen = {};
    function show(count) {
      badge.textContent = String(count);
      badge.hidden = count <= 0;
    }
    new window.ZhiYi.LiveStream(bell.getAttribute("data-stream"), {
      events: {
        notification: function (data) {
          if (!data || seen[data.id] || data.id <= lastId) return;
          seen[data.id] = true;
          show(parseInt(badge.textContent || "0", 10) + 1);
          toast(data);
        },
      },
    });
    if (!("BroadcastChannel" in window)) return;
    var channel = new BroadcastChannel("zhiyi-notifications");
    channel.onmessage = function (ev) {
      var state = ev.data || {};
      if (typeof state.unread !== "number" || typeof state.lastId !== "number") return;
      var later = Object.keys(seen).filter(function (id) { return parseInt(id, 10) > state.lastId; }).length;
      show(state.unread + later);
      refreshList();
    };
    var sent = false;
    try {
      sent = sessionStorage.getItem(READ_SENT) === "1";
      sessionStorage.removeItem(READ_SENT);
    } catch (e) { /* storage refused: nothing to tell */ }
    if (sent) channel.postMessage({ unread: parseInt(badge.textContent || "0", 10), lastId: lastId });
    document.addEventListener("submit", function (ev) {
      var action = (ev.target.getAttribute && ev.target.getAttribute("action")) || "";
      if (!READ_ACTION.test(action)) return;
      try { sessionStorage.setItem(READ_SENT, "1"); } catch (e) { /* see above */ }
    });
  }

  /* On the notifications page: its list and "mark all" button afresh from the server. */
  function refreshList() {
    if (!document.getElementById("notification-list")) return;
    window.ZhiYi.refreshParts(window.location.href, ["notification-list", "read-all-box"]);
  }

  function toast(data) {
    var box = document.getElementById("toasts");
    if (!box) return;
    var item = document.createElement("a");
    item.className = "toast";
    item.href = data.url || "/notifications/";
    item.textContent = data.title || BELL.newNotification || "";
    box.appendChild(item);
    setTimeout(function () { item.remove(); }, 8000);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var bell = document.getElementById("bell");
    if (bell) initBell(bell);
  });
})();
