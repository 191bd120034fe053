// An http(s) URL as Kiln takes one: a host by name or by address (Ant Design's own URL
// rule refuses http://127.0.0.1:9/hook, which Kiln accepts where private targets are allowed).
import type { FormRule } from 'antd';

export const httpUrlRule: FormRule = {
  validator: async (_, value?: string) => {
    if (!value) throw new Error('Give an http(s) URL');
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw new Error('Give an http(s) URL');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw new Error('Give an http(s) URL');
  },
};
