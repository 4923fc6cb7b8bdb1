// The site's search runs in a Web Worker, which a page opened from disk (file://) may not
// start. There, this runs the worker's script in a hidden frame of the page instead and passes
// the messages a worker would: the offline plugin's search index is a script too, so search
// works from disk with no network. Served over HTTP, nothing here runs.
(function () {
  "use strict";
  if (location.protocol !== "file:") {
    return;
  }

  function loadScript(scope, src) {
    return new Promise(function (resolve, reject) {
      var script = scope.document.createElement("script");
      script.src = new URL(src, location.href).href;
      script.onload = resolve;
      script.onerror = function () {
        reject(new Error("cannot load " + src));
      };
      scope.document.head.appendChild(script);
    });
  }

  class FrameWorker extends EventTarget {
    constructor(url) {
      super();
      this.onmessage = null;
      this.onerror = null;
      this.queued = [];
      var frame = document.createElement("iframe");
      frame.hidden = true;
      document.documentElement.appendChild(frame);
      this.frame = frame;
      var scope = frame.contentWindow;
      var worker = this;
      // What the worker's script calls on its global object.
      scope.postMessage = function (data) {
        setTimeout(function () {
          worker.deliver(structuredClone(data));
        });
      };
      scope.importScripts = function () {
        var sources = Array.prototype.slice.call(arguments);
        return sources.reduce(function (done, src) {
          return done.then(function () {
            return loadScript(scope, src);
          });
        }, Promise.resolve());
      };
      this.started = loadScript(scope, url).catch(function (error) {
        var event = new ErrorEvent("error", { message: String(error) });
        if (worker.onerror) {
          worker.onerror(event);
        }
        worker.dispatchEvent(event);
      });
    }

    deliver(data) {
      var event = new MessageEvent("message", { data: data });
      if (this.onmessage) {
        this.onmessage(event);
      }
      this.dispatchEvent(event);
    }

    postMessage(data) {
      var scope = this.frame.contentWindow;
      var copy = structuredClone(data);
      this.started.then(function () {
        scope.dispatchEvent(new scope.MessageEvent("message", { data: copy }));
      });
    }

    terminate() {
      this.frame.remove();
    }
  }

  window.Worker = FrameWorker;
})();
