import { namespace } from '../types';

export default namespace(
  {
    title: 'Approvals',
    empty: 'No cancellation request is waiting.',
  },
  {
    title: '审批',
    empty: '没有待审批的取消申请。',
  },
);
