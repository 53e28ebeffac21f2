// Live suggestions under the home search box (the form works without this script).
(() => {
  const q = document.getElementById('q'), list = document.getElementById('q-suggestions');
  if (!q || !list || !window.fetch) return;
  let t, n = 0;
  q.addEventListener('input', () => {
    clearTimeout(t);
    t = setTimeout(async () => {
      const v = q.value.trim(), my = ++n;
      if (v.length < 2) { list.replaceChildren(); return; }
      try {
        const r = await fetch('/api/v1/procedures?limit=5&q=' + encodeURIComponent(v));
        const d = await r.json();
        if (my !== n) return;
        list.replaceChildren(...(d.items || []).map((p) => {
          const li = document.createElement('li'), a = document.createElement('a');
          a.href = '/thu-tuc/' + encodeURIComponent(p.code); a.textContent = p.name;
          li.append(a); return li;
        }));
      } catch { /* suggestions are optional */ }
    }, 250);
  });
})();

// Forms that send documents show how much is sent (a slow link can take minutes). Without
// this script they post as usual; if the request fails, the form posts the usual way.
(() => {
  if (!window.XMLHttpRequest || !window.FormData) return;
  const en = document.documentElement.lang === 'en';
  for (const form of document.querySelectorAll('form[enctype="multipart/form-data"]')) {
    form.addEventListener('submit', (e) => {
      const files = [...form.querySelectorAll('input[type=file]')].some((i) => i.files && i.files.length > 0);
      if (!files || e.defaultPrevented) return;
      e.preventDefault();
      const status = document.createElement('p'), bar = document.createElement('progress');
      status.setAttribute('role', 'status');
      status.className = 'upload-status';
      bar.max = 100;
      bar.value = 0;
      status.append(en ? 'Sending your documents… ' : 'Đang gửi giấy tờ… ', bar);
      (e.submitter || form.lastElementChild).after(status);
      const buttons = [...form.querySelectorAll('button')];
      const data = new FormData(form, e.submitter || undefined);
      buttons.forEach((b) => { b.disabled = true; });
      const xhr = new XMLHttpRequest();
      xhr.upload.onprogress = (p) => { if (p.lengthComputable) bar.value = Math.round((100 * p.loaded) / p.total); };
      xhr.onload = () => {
        // Where the server redirected, go there; a page answering the post (errors) replaces this one.
        if (xhr.responseURL && xhr.responseURL !== form.action) { location.assign(xhr.responseURL); return; }
        document.open();
        document.write(xhr.responseText);
        document.close();
        history.replaceState(null, '', location.href);
      };
      xhr.onerror = () => { status.remove(); buttons.forEach((b) => { b.disabled = false; }); form.submit(); };
      xhr.open('POST', form.action);
      xhr.send(data);
    });
  }
})();
