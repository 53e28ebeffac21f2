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
