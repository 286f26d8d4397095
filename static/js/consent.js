// Marketing tags, loaded only on pages the server rendered them for (the visitor consented to
// marketing and is not a customer). Settings come from this script's data attributes: no inline code.
(function () {
  "use strict";
  var me = document.currentScript;
  if (!me) { return; }
  var data = me.dataset;

  if (data.googleAdsId) {
    window.dataLayer = window.dataLayer || [];
    window.gtag = function () { window.dataLayer.push(arguments); };
    window.gtag("js", new Date());
    window.gtag("config", data.googleAdsId);
    if (data.googleAdsConversion) {
      window.gtag("event", "conversion", { send_to: data.googleAdsId + "/" + data.googleAdsConversion });
    }
  }

  if (data.facebookPixelId && !window.fbq) {
    var fbq = function () {
      if (fbq.callMethod) { fbq.callMethod.apply(fbq, arguments); } else { fbq.queue.push(arguments); }
    };
    fbq.push = fbq;
    fbq.loaded = true;
    fbq.version = "2.0";
    fbq.queue = [];
    window.fbq = window._fbq = fbq;
    fbq("init", data.facebookPixelId);
    fbq("track", "PageView");
  }
}());
