"""The add-in's own script (served as ``/static/ragbook/addin.js``): ribbon buttons and task-pane panels.

It reads the buttons from the task pane's panels (generated from the ribbon), so it names none itself. Each
ribbon button is associated with its key: one that needs no file calls ``xlwings.runPython`` at once (xlwings'
client sends the workbook and applies what comes back); one that reads or makes files opens the task pane on
its panel. A panel's button makes a job, uploads the chosen files one by one (each checked by the server; a
refusal shows its sentence and stops), runs the script with the job, then offers what was made for download
(fetched with the sign-in token, so the link works only for the user who pressed); a job of uploads is removed
as soon as its button has run or was refused.
"""

ADDIN_JS = r"""// The Action Plan add-in (generated with the task pane from the workbook's ribbon).
(function () {
  "use strict";

  function root() { return document.getElementById("ragbook"); }
  function api(path) {
    const appPath = root() ? root().dataset.appPath || "" : "";
    return window.location.origin + appPath + "/ragbook" + path;
  }

  async function signIn() {
    if (typeof globalThis.getAuth === "function") {
      const result = await globalThis.getAuth();
      return { token: result.token || "", provider: result.provider || "" };
    }
    return { token: "", provider: "" };
  }

  async function headers() {
    const auth = await signIn();
    const result = {};
    if (auth.token) { result["Authorization"] = auth.token; }
    if (auth.provider) { result["Auth-Provider"] = auth.provider; }
    return result;
  }

  function documentUrl() {
    try { return (Office.context.document && Office.context.document.url) || ""; } catch (e) { return ""; }
  }

  async function call(method, path, body) {
    const response = await fetch(api(path), { method: method, headers: await headers(), body: body });
    let data = null;
    try { data = await response.json(); } catch (e) { data = null; }
    if (!response.ok) {
      throw new Error((data && data.detail) || response.statusText || "The server did not answer.");
    }
    return data;
  }

  async function runScript(key, job, displayMode) {
    const auth = await signIn();
    await xlwings.runPython({
      scriptName: key,
      auth: auth.token,
      headers: { "Auth-Provider": auth.provider },
      errorDisplayMode: displayMode,
      args: [job, documentUrl()],
    });
  }

  function say(panel, text, isError) {
    const box = panel.querySelector(".ragbook-message");
    box.textContent = text || "";
    box.classList.toggle("ragbook-error", Boolean(isError));
  }

  async function download(job, name) {
    const response = await fetch(api("/jobs/" + job + "/downloads/" + encodeURIComponent(name)),
                                 { headers: await headers() });
    if (!response.ok) {
      let data = null;
      try { data = await response.json(); } catch (e) { data = null; }
      throw new Error((data && data.detail) || response.statusText);
    }
    const url = URL.createObjectURL(await response.blob());
    const link = document.createElement("a");
    link.href = url;
    link.download = name;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
  }

  function offer(panel, job, names) {
    const list = panel.querySelector(".ragbook-downloads");
    list.textContent = "";
    names.forEach(function (name) {
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = "#";
      link.textContent = "Download " + name;
      link.addEventListener("click", function (event) {
        event.preventDefault();
        download(job, name).catch(function (error) { say(panel, error.message, true); });
      });
      item.appendChild(link);
      list.appendChild(item);
    });
  }

  async function runPanel(panel) {
    const key = panel.dataset.key;
    const kind = panel.dataset.kind;
    const button = panel.querySelector("[data-run]");
    button.disabled = true;
    panel.querySelector(".ragbook-downloads").textContent = "";
    let job = "";
    try {
      if (kind !== "run") {
        const picker = panel.querySelector("input[type=file]");
        if (kind === "upload" && (!picker || picker.files.length === 0)) {
          throw new Error("Choose the " + panel.dataset.what + " first.");
        }
        job = (await call("POST", "/jobs")).job;
        if (kind === "upload") {
          for (const file of Array.from(picker.files)) {
            say(panel, "Checking " + file.name + "...");
            await call("PUT", "/jobs/" + job + "/uploads/" + key + "/" + encodeURIComponent(file.name), file);
          }
        }
      }
      say(panel, panel.dataset.label + ": working...");
      await runScript(key, job, "taskpane");
      if (kind === "download") {
        const made = await call("GET", "/jobs/" + job);
        offer(panel, job, made.downloads);
      } else if (kind === "upload") {
        panel.querySelector("input[type=file]").value = "";
      }
      say(panel, "");
    } catch (error) {
      say(panel, error.message || String(error), true);
    } finally {
      if (kind === "upload" && job) {  // the uploads are not needed once the button has run (or was refused)
        try { await call("DELETE", "/jobs/" + job); } catch (e) { /* the server removes it in time anyway */ }
      }
      button.disabled = false;
    }
  }

  function ribbonButton(panel) {
    return async function (event) {
      try {
        if (panel.dataset.kind === "run") {
          await runScript(panel.dataset.key, "", "alert");
        } else {
          await Office.addin.showAsTaskpane();
          document.querySelectorAll(".ragbook-chosen").forEach(function (p) { p.classList.remove("ragbook-chosen"); });
          panel.classList.add("ragbook-chosen");
          panel.scrollIntoView();
        }
      } finally {
        event.completed();
      }
    };
  }

  function start() {
    document.querySelectorAll(".ragbook-panel[data-key]").forEach(function (panel) {
      Office.actions.associate(panel.dataset.key, ribbonButton(panel));
      panel.querySelector("[data-run]").addEventListener("click", function () { runPanel(panel); });
    });
  }

  Office.onReady(function () {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", start);
    } else {
      start();
    }
  });
})();
"""
